"""Assigning records through the rules, and every write to the rule table."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from guanxi.assignment.engine import AssignmentEngine
from guanxi.assignment.models import AssignmentRule
from guanxi.audit.choices import AuditAction
from guanxi.audit.recording import record_bulk
from guanxi.core.services import record_update
from guanxi.notifications.services import NotificationDraft, notifications_send, notify
from guanxi.users.models import User
from guanxi.workspaces.models import Membership, Workspace

RULE_EDITABLE_FIELDS = (
    "name",
    "active",
    "conditions",
    "target_kind",
    "target_user",
    "target_team",
    "strategy",
    "is_default",
)


@dataclass(frozen=True)
class AssignmentResult:
    user: User | None
    rule: AssignmentRule | None

    @property
    def manual(self) -> bool:
        return self.rule is None and self.user is not None


@transaction.atomic
def assign(
    record: Any,
    *,
    object_type: str,
    actor: User | None,
    manual_user: User | None = None,
    engine: AssignmentEngine | None = None,
) -> AssignmentResult:
    """Give the record an owner: `manual_user` if given, else the first matching rule's pick.

    The owner change is saved (and so audited by the audit signals) and the new owner is
    notified. No matching rule, or a rule whose pool is empty, leaves the owner as it was.
    """
    if manual_user is not None:
        if not Membership.objects.filter(
            workspace_id=record.workspace_id, user=manual_user, is_active=True
        ).exists():
            raise ValidationError({"owner": _("Choose an active member of this workspace.")})
        result = AssignmentResult(manual_user, None)
    else:
        engine = engine or AssignmentEngine(workspace=record.workspace)
        rule = engine.match(record, object_type)
        result = AssignmentResult(engine.pick(rule, record) if rule else None, rule)
    user = result.user
    if user is not None and record.owner_id != user.pk:
        record.owner = user
        record.save(update_fields=["owner", "updated_at"])
        if actor is None or actor.pk != user.pk:
            notify_assignee(record, user)
    return result


@transaction.atomic
def assign_many(
    records: Iterable[Any], *, object_type: str, actor: User | None
) -> list[AssignmentResult]:
    """Route many records of one workspace at once (imports, web forms in bulk, the benchmark):
    rules and pools read once, one bulk update of owners, audit rows and notifications in bulk."""
    records = list(records)
    if not records:
        return []
    engine = AssignmentEngine(workspace=records[0].workspace, batch=True)
    results, before = [], {}
    for record in records:
        rule = engine.match(record, object_type)
        user = engine.pick(rule, record) if rule else None
        results.append(AssignmentResult(user, rule))
        if user is not None and record.owner_id != user.pk:
            before.setdefault(record.pk, record.owner_id)
            record.owner = user
    engine.flush()
    changed = [record for record in records if record.pk in before]
    if not changed:
        return results
    now = timezone.now()
    by_owner: dict[Any, list[Any]] = {}
    for record in changed:
        record.updated_at = now
        by_owner.setdefault(record.owner_id, []).append(record.pk)
    # one UPDATE per new owner (a pool is small); bulk_update's CASE per row costs far more
    for owner_id, ids in by_owner.items():
        type(changed[0]).objects.filter(pk__in=ids).update(owner_id=owner_id, updated_at=now)
    record_bulk(
        changed,
        AuditAction.UPDATE,
        lambda r: {"owner": [str(before[r.pk]) if before[r.pk] else None, str(r.owner_id)]},
    )
    notifications_send(
        drafts=[
            assignment_draft(record, record.owner_id)
            for record in changed
            if actor is None or record.owner_id != actor.pk
        ]
    )
    return results


def assignment_draft(record: Any, user_id: Any) -> NotificationDraft:
    return NotificationDraft(
        user_id,
        record.workspace_id,
        _("Assigned to you: %(type)s “%(name)s”")
        % {"type": record._meta.verbose_name, "name": str(record)[:100]},
        record.get_absolute_url() if hasattr(record, "get_absolute_url") else "",
    )


def notify_assignee(record: Any, user: User) -> None:
    draft = assignment_draft(record, user.pk)
    notify(recipient=user, workspace=record.workspace, title=draft.title, url=draft.url)


def preview(record: Any, *, object_type: str) -> AssignmentRule | None:
    """The rule that would fire for this record now (nothing is assigned or advanced)."""
    return AssignmentEngine(workspace=record.workspace).match(record, object_type)


def preview_user(record: Any, *, rule: AssignmentRule) -> User | None:
    """Whom that rule would pick now, without taking a round-robin turn."""
    return AssignmentEngine(workspace=record.workspace).pick(rule, record, advance=False)


# --- the rule table -----------------------------------------------------------------------
@transaction.atomic
def rule_create(*, workspace: Workspace, actor: User | None, **data: Any) -> AssignmentRule:
    last = AssignmentRule.objects.filter(
        workspace=workspace, object_type=data.get("object_type", "")
    ).aggregate(last=Max("order"))["last"]
    data.setdefault("order", (last or 0) + 1)
    data.pop("owner", None)
    rule = AssignmentRule(workspace=workspace, **data)
    rule.full_clean()
    rule.save()
    return rule


@transaction.atomic
def rule_update(
    *, assignmentrule: AssignmentRule, actor: User | None, data: dict[str, Any]
) -> AssignmentRule:
    return record_update(instance=assignmentrule, fields=RULE_EDITABLE_FIELDS, data=data)


@transaction.atomic
def rule_delete(*, assignmentrule: AssignmentRule, actor: User | None) -> None:
    assignmentrule.delete()


@transaction.atomic
def rule_move(*, rule: AssignmentRule, actor: User | None, up: bool) -> bool:
    """Swap the rule with its neighbour above (up) or below; False at either end."""
    siblings = list(
        AssignmentRule.objects.select_for_update()
        .filter(workspace_id=rule.workspace_id, object_type=rule.object_type, is_default=False)
        .order_by("order", "id")
    )
    index = next((i for i, item in enumerate(siblings) if item.pk == rule.pk), None)
    if index is None:
        return False
    other = index - 1 if up else index + 1
    if not 0 <= other < len(siblings):
        return False
    siblings[index], siblings[other] = siblings[other], siblings[index]
    for position, item in enumerate(siblings, start=1):
        if item.order != position:
            item.order = position
            item.save(update_fields=["order", "updated_at"])
    return True
