"""Tasks in the shared assignment rule engine (object type "task")."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from guanxi.tasks.choices import OPEN_STATUSES
from guanxi.tasks.models import Task
from guanxi.users.models import User

OBJECT_TYPE = "task"

# what task rules may test: e.g. priority = urgent → the on-call team
RULE_FIELDS = {
    "priority": _("Priority"),
    "kind": _("Type"),
    "title": _("Title"),
    "company": _("Company"),
}


def register() -> None:
    from guanxi.assignment.registry import register_assignable

    register_assignable(
        OBJECT_TYPE,
        model=Task,
        fields=RULE_FIELDS,
        open_filter=Q(status__in=OPEN_STATUSES),
        resource="tasks",
    )


def task_assign_by_rules(*, task: Task, actor: User | None) -> User | None:
    """Give the task to the first matching rule's pick; with no rule (or nobody to pick) the
    actor keeps it. The engine saves, audits and notifies the assignee."""
    from guanxi.assignment.services import assign

    result = assign(task, object_type=OBJECT_TYPE, actor=actor)
    if result.user is None and actor is not None:
        result = assign(task, object_type=OBJECT_TYPE, actor=actor, manual_user=actor)
    return result.user
