"""Reads of members, transactions and the points ledger, scoped like the members' contacts."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from guanxi.contacts.models import Contact
from guanxi.core.permissions import Action, visible_owner_filter
from guanxi.members.models import LoyaltySettings, Member, PointsEntry, Transaction
from guanxi.workspaces.models import Membership, Workspace

RESOURCE = "members"


def through(q: Q, prefix: str) -> Q:
    """The same condition on a related record: Q(owner_id=1) → Q(contact__owner_id=1)."""
    clone = Q()
    clone.connector, clone.negated = q.connector, q.negated
    clone.children = [
        through(child, prefix) if isinstance(child, Q) else (f"{prefix}{child[0]}", child[1])
        for child in q.children
    ]
    return clone


def member_visibility(membership: Membership, action: str, prefix: str = "") -> Q:
    """Members whose contact this membership may `action` (the contact's owner decides)."""
    return through(visible_owner_filter(membership, RESOURCE, action), f"{prefix}contact__")


def member_list(*, membership: Membership, action: str = Action.VIEW) -> QuerySet[Member]:
    return (
        Member.objects.for_workspace(membership.workspace)
        .filter(member_visibility(membership, action))
        .select_related("contact", "contact__owner")
        .prefetch_related("interest_tags")
    )


def enrollable_contacts(*, membership: Membership) -> QuerySet[Contact]:
    """Contacts this membership may make members (the members policy's add scope)."""
    return Contact.objects.for_workspace(membership.workspace).filter(
        visible_owner_filter(membership, RESOURCE, Action.ADD)
    )


def transaction_list(*, membership: Membership, action: str = Action.VIEW) -> QuerySet[Transaction]:
    return (
        Transaction.objects.for_workspace(membership.workspace)
        .filter(member_visibility(membership, action, "member__"))
        .select_related("member", "member__contact")
    )


def points_entry_list(*, member: Member) -> QuerySet[PointsEntry]:
    """A member's ledger, newest first (the caller already checked it may see the member)."""
    return PointsEntry.objects.filter(workspace_id=member.workspace_id, member=member).order_by(
        "-id"
    )


def loyalty_settings_of(workspace: Workspace) -> LoyaltySettings:
    """The workspace's loyalty rules, created with the defaults on first use."""
    settings, _created = LoyaltySettings.objects.get_or_create(workspace=workspace)
    return settings
