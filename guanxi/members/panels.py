"""What members add to the contact page: the membership card panel and timeline entries."""

from __future__ import annotations

import heapq
from datetime import datetime
from typing import Any

from django.db.models import Model
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guanxi.contacts.models import Contact
from guanxi.core.panels import Panel, register_panel
from guanxi.core.permissions import Action, role_can
from guanxi.core.timeline import TimelineEntry, TimelineSource, register_timeline_source
from guanxi.members.choices import TransactionKind
from guanxi.members.models import LevelChange, Member, Transaction
from guanxi.members.selectors import RESOURCE, enrollable_contacts, member_list
from guanxi.workspaces.models import Membership

LEVEL_BADGES = {"normal": "secondary", "vip": "orange", "svip": "purple"}


def membership_card(record: Model, membership: Membership, request: Any) -> dict[str, Any]:
    """The contact's membership, or what may be done when there is none; at most two queries."""
    member = Member.objects.filter(contact=record, workspace_id=record.workspace_id).first()
    role = membership.role
    if member is None:
        may_enrol = (
            role_can(role, RESOURCE, Action.ADD)
            and enrollable_contacts(membership=membership).filter(pk=record.pk).exists()
        )
        return {
            "member": None,
            "enrol_url": reverse("members:enrol", args=[record.pk]) if may_enrol else "",
        }
    may_change = (
        role_can(role, RESOURCE, Action.CHANGE)
        and member_list(membership=membership, action=Action.CHANGE).filter(pk=member.pk).exists()
    )
    return {
        "member": member,
        "level_badge": LEVEL_BADGES.get(member.level, "secondary"),
        "transaction_url": reverse("members:transaction_create", args=[member.pk])
        if may_change
        else "",
        "redeem_url": reverse("members:redeem", args=[member.pk]) if may_change else "",
    }


def member_timeline(
    record: Model, membership: Membership, before: datetime | None, limit: int
) -> list[TimelineEntry]:
    """The contact's transactions and level changes, newest first; two queries."""
    transactions = Transaction.objects.filter(
        workspace_id=record.workspace_id, member__contact=record
    )
    changes = LevelChange.objects.filter(workspace_id=record.workspace_id, member__contact=record)
    if before is not None:
        transactions = transactions.filter(created_at__lt=before)
        changes = changes.filter(at__lt=before)
    transaction_entries = [
        transaction_entry(t) for t in transactions.order_by("-created_at", "-id")[:limit]
    ]
    change_entries = [level_change_entry(c) for c in changes.order_by("-at", "-id")[:limit]]
    merged = heapq.merge(
        transaction_entries, change_entries, key=lambda entry: entry.at, reverse=True
    )
    return list(merged)[:limit]


def transaction_entry(record: Transaction) -> TimelineEntry:
    purchase = record.kind == TransactionKind.PURCHASE
    title = _("Purchase of %(amount)s") if purchase else _("Return of %(amount)s")
    details = [record.occurred_on.isoformat()]
    if record.channel:
        details.append(record.channel)
    names = [item.get("name", "") for item in record.items[:5]]
    if names:
        details.append("、".join(names))
    return TimelineEntry(
        at=record.created_at,
        kind="member",
        title=title % {"amount": record.amount},
        body=" · ".join(details),
        url=reverse("members:detail", args=[record.member_id]),
        colour="green" if purchase else "orange",
    )


def level_change_entry(change: LevelChange) -> TimelineEntry:
    return TimelineEntry(
        at=change.at,
        kind="member",
        title=_("Member level: %(from)s → %(to)s")
        % {"from": change.get_from_level_display(), "to": change.get_to_level_display()},
        url=reverse("members:detail", args=[change.member_id]),
        colour="purple",
    )


register_panel(
    Contact,
    Panel(
        name="membership",
        template="members/partials/_contact_panel.html",
        context=membership_card,
        column="side",
        order=10,
        resource=RESOURCE,
    ),
)
register_timeline_source(
    Contact,
    TimelineSource(
        kind="member",
        label=gettext_lazy("Purchases and levels"),
        fetch=member_timeline,
        resource=RESOURCE,
    ),
)
