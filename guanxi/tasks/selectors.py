"""Reads of tasks and their comments, scoped to the membership's workspace and visibility."""

from __future__ import annotations

from datetime import datetime

from django.db.models import QuerySet
from django.utils import timezone

from guanxi.core.permissions import Action, visible_owner_filter
from guanxi.tasks.choices import OPEN_STATUSES
from guanxi.tasks.models import Task, TaskComment
from guanxi.workspaces.models import Membership

HOME_LIST_LIMIT = 10


def task_list(*, membership: Membership, action: str = Action.VIEW) -> QuerySet[Task]:
    return (
        Task.objects.for_workspace(membership.workspace)
        .filter(visible_owner_filter(membership, "tasks", action))
        .select_related("owner", "contact", "company", "opportunity", "lead")
    )


def tasks_of_record(*, record, membership: Membership) -> QuerySet[Task]:
    """The tasks linked to a contact or a company."""
    return task_list(membership=membership).filter(**{record._meta.model_name: record})


def my_tasks_due(*, membership: Membership, now: datetime | None = None) -> dict[str, list[Task]]:
    """The member's open tasks overdue and due before the end of today, for the home page."""
    now = now or timezone.now()
    end_of_today = timezone.localtime(now).replace(hour=23, minute=59, second=59)
    mine = (
        task_list(membership=membership)
        .filter(owner_id=membership.user_id, status__in=OPEN_STATUSES, due_at__isnull=False)
        .order_by("due_at", "-id")
    )
    return {
        "overdue": list(mine.filter(due_at__lt=now)[:HOME_LIST_LIMIT]),
        "today": list(mine.filter(due_at__gte=now, due_at__lte=end_of_today)[:HOME_LIST_LIMIT]),
    }


def comment_list(*, task: Task) -> QuerySet[TaskComment]:
    return TaskComment.objects.filter(task=task, workspace_id=task.workspace_id).select_related(
        "author"
    )
