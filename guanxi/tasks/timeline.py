"""Tasks in the contact and company timelines (kind "task"), placed at their creation time."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Model, Q
from django.utils.translation import gettext_lazy as _

from guanxi.core.timeline import TimelineEntry, TimelineSource
from guanxi.tasks.choices import TaskStatus
from guanxi.tasks.selectors import task_list
from guanxi.workspaces.models import Membership

STATUS_COLOURS = {
    TaskStatus.OPEN: "orange",
    TaskStatus.IN_PROGRESS: "blue",
    TaskStatus.DONE: "green",
    TaskStatus.CANCELLED: "secondary",
}


def task_entries(
    record: Model, membership: Membership, before: datetime | None, limit: int
) -> list[TimelineEntry]:
    """The record's tasks the member may see (a company's include its people's)."""
    tasks = task_list(membership=membership)
    if record._meta.model_name == "company":
        tasks = tasks.filter(Q(company=record) | Q(contact__company=record))
    else:
        tasks = tasks.filter(contact=record)
    if before is not None:
        tasks = tasks.filter(created_at__lt=before)
    return [
        TimelineEntry(
            at=task.created_at,
            kind="task",
            title=task.title,
            body=task.outcome or task.description,
            url=task.get_absolute_url(),
            actor=str(task.owner or ""),
            colour=STATUS_COLOURS.get(task.status, "blue"),
            extra={"badges": [task.get_kind_display(), task.get_status_display()]},
        )
        for task in tasks.order_by("-created_at", "-id")[:limit]
    ]


TASK_SOURCE = TimelineSource(kind="task", label=_("Tasks"), fetch=task_entries, resource="tasks")
