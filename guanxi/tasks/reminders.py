"""Task reminders: a notification to the assignee a chosen number of minutes before the due time."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from guanxi.notifications.services import NotificationDraft, notifications_send
from guanxi.tasks.choices import OPEN_STATUSES
from guanxi.tasks.models import Task
from guanxi.workspaces.models import Workspace
from guanxi.workspaces.selectors import owner_is_active_member

BATCH_SIZE = 1000


def reminder_key(task: Task) -> str:
    # a new due time is a new reminder: the key changes with it
    return f"task-reminder:{task.pk}:{task.remind_at.isoformat()}"


def task_reminders_send(*, now: datetime | None = None) -> int:
    """Notify the assignee of every open task whose reminder time has come, once.

    `reminded_at` marks the task as reminded (the update only takes rows still unmarked, so
    two overlapping runs cannot both send); the notification key makes a retry a no-op too.
    Returns how many reminders went out.
    """
    now = now or timezone.now()
    sent = 0
    settings = Workspace.objects.values_list("time_zone", "language").distinct()
    for zone, language in settings.order_by():
        due = Task.objects.filter(
            workspace__time_zone=zone,
            workspace__language=language,
            reminded_at__isnull=True,
            remind_at__isnull=False,
            remind_at__lte=now,
            status__in=OPEN_STATUSES,
            owner__isnull=False,
        ).filter(owner_is_active_member())
        with translation.override(language), timezone.override(ZoneInfo(zone)):
            while True:
                batch = list(due.order_by("remind_at", "pk")[:BATCH_SIZE])
                if not batch:
                    break
                claimed = set(
                    Task.objects.filter(
                        pk__in=[task.pk for task in batch], reminded_at__isnull=True
                    ).values_list("pk", flat=True)
                )
                Task.objects.filter(pk__in=claimed, reminded_at__isnull=True).update(
                    reminded_at=now
                )
                drafts = [draft_for(task) for task in batch if task.pk in claimed]
                sent += len(notifications_send(drafts=drafts))
    return sent


def draft_for(task: Task) -> NotificationDraft:
    due = date_format(timezone.localtime(task.due_at), "Y-m-d H:i")
    return NotificationDraft(
        recipient_id=task.owner_id,
        workspace_id=task.workspace_id,
        title=_("Reminder: %(title)s") % {"title": task.title},
        body=_("Due at %(due)s.") % {"due": due},
        url=task.get_absolute_url(),
        key=reminder_key(task),
    )
