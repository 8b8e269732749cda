"""Every write to tasks: create (idempotent by key), update, complete, delete; comments."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from guanxi.core.services import record_create, record_update
from guanxi.tasks.choices import TaskStatus
from guanxi.tasks.mentions import mentioned_members
from guanxi.tasks.models import Task, TaskComment
from guanxi.tasks.notifications import comment_notify, task_assigned_notify, task_changed_notify
from guanxi.users.models import User
from guanxi.workspaces.models import Workspace

TASK_EDITABLE_FIELDS = (
    "title",
    "kind",
    "description",
    "due_at",
    "priority",
    "status",
    "outcome",
    "contact",
    "company",
    "opportunity",
    "lead",
    "remind_minutes_before",
    "owner",
    # derived below from the fields above
    "completed_at",
    "remind_at",
)


def reminder_time(due_at: datetime | None, minutes: int | None) -> datetime | None:
    if due_at is None or minutes is None:
        return None
    return due_at - timedelta(minutes=minutes)


def _derived(data: dict[str, Any], instance: Task | None = None) -> dict[str, Any]:
    """Completion time from the status, reminder time from due/minutes (re-armed on change)."""
    data = dict(data)

    def current(name: str, default: Any = None) -> Any:
        return data[name] if name in data else getattr(instance, name, default)

    status = current("status", TaskStatus.OPEN)
    if status == TaskStatus.DONE:
        data["completed_at"] = current("completed_at") or timezone.now()
    else:
        data["completed_at"] = None
    data["remind_at"] = reminder_time(current("due_at"), current("remind_minutes_before"))
    return data


@transaction.atomic
def task_create(
    *,
    workspace: Workspace,
    actor: User | None,
    dedupe_key: str = "",
    assign_by_rules: bool = False,
    **data: Any,
) -> Task:
    """Create a task; the owner (assignee) defaults to the actor.

    `assign_by_rules` gives it to whom the workspace's task assignment rules pick (the actor
    when no rule matches). With a `dedupe_key` already used in this workspace, return that
    task instead, so that periodic jobs (stagnation alerts …) can call this every run.
    """
    if dedupe_key:
        existing = Task.objects.filter(workspace=workspace, dedupe_key=dedupe_key).first()
        if existing is not None:
            return existing
    if assign_by_rules:
        data["owner"] = None
    task = record_create(
        model=Task,
        workspace=workspace,
        actor=actor,
        data={**_derived(data), "dedupe_key": dedupe_key},
    )
    if assign_by_rules:
        from guanxi.tasks.assignment import task_assign_by_rules

        task_assign_by_rules(task=task, actor=actor)
    else:
        task_assigned_notify(task=task, actor=actor)
    return task


@transaction.atomic
def task_update(*, task: Task, actor: User | None, data: dict[str, Any]) -> Task:
    """Update; a new assignee is told it is theirs, an unchanged one that someone changed it."""
    previous_owner_id, previous_version = task.owner_id, task.updated_at
    previous_remind_at = task.remind_at
    record_update(instance=task, fields=TASK_EDITABLE_FIELDS, data=_derived(data, task))
    if task.remind_at != previous_remind_at:
        # a new reminder time is a new reminder, even if the job marked the old one a moment ago
        Task.objects.filter(pk=task.pk).update(reminded_at=None)
        task.reminded_at = None
    if task.owner_id != previous_owner_id:
        task_assigned_notify(task=task, actor=actor)
    elif task.updated_at != previous_version:
        task_changed_notify(task=task, actor=actor)
    return task


@transaction.atomic
def task_complete(*, task: Task, actor: User | None, outcome: str = "") -> Task:
    """Mark done (with what happened); completing a done task again changes nothing."""
    if task.status == TaskStatus.DONE:
        return task
    data: dict[str, Any] = {"status": TaskStatus.DONE}
    if outcome:
        data["outcome"] = outcome
    return task_update(task=task, actor=actor, data=data)


@transaction.atomic
def task_delete(*, task: Task, actor: User | None) -> None:
    task.delete()


@transaction.atomic
def comment_create(*, task: Task, actor: User | None, body: str) -> TaskComment:
    """Add a comment; each member it @mentions is notified once, and the assignee is told."""
    comment = TaskComment(workspace_id=task.workspace_id, task=task, author=actor, body=body)
    comment.full_clean()
    comment.save()
    mentioned = mentioned_members(workspace=task.workspace, text=body)
    if mentioned:
        comment.mentioned.set(mentioned)
    comment_notify(comment=comment, mentioned=mentioned)
    return comment


@transaction.atomic
def comment_delete(*, comment: TaskComment, actor: User | None) -> None:
    comment.delete()
