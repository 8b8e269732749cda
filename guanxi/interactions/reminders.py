"""Overdue follow-ups become notifications for their owners: once per interaction and due date."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from guanxi.interactions.models import Interaction
from guanxi.notifications.services import NotificationDraft, notifications_send
from guanxi.workspaces.models import Workspace
from guanxi.workspaces.selectors import owner_is_active_member

BATCH_SIZE = 1000


def overdue_key(interaction: Interaction) -> str:
    return f"follow-up-overdue:{interaction.pk}:{interaction.next_follow_up.isoformat()}"


def overdue_follow_ups_notify(*, now: datetime | None = None) -> int:
    """Notify each owner of an open follow-up dated before today (in the workspace's zone).

    Safe to run any number of times: the notification's key makes a repeat a no-op.
    Works per (time zone, language) of workspaces, in batches. Returns how many were new.
    """
    now = now or timezone.now()
    sent = 0
    settings = Workspace.objects.values_list("time_zone", "language").distinct()
    for zone, language in settings.order_by():
        today = now.astimezone(ZoneInfo(zone)).date()
        overdue = Interaction.objects.filter(
            workspace__time_zone=zone,
            workspace__language=language,
            follow_up_done=False,
            next_follow_up__lt=today,
            owner__isnull=False,
        ).filter(owner_is_active_member())
        with translation.override(language):
            last = None
            while True:
                batch = overdue.filter(pk__gt=last) if last else overdue
                batch = list(batch.order_by("pk")[:BATCH_SIZE])
                if not batch:
                    break
                sent += len(notifications_send(drafts=[draft_for(i) for i in batch]))
                last = batch[-1].pk
    return sent


def draft_for(interaction: Interaction) -> NotificationDraft:
    return NotificationDraft(
        recipient_id=interaction.owner_id,
        workspace_id=interaction.workspace_id,
        title=_("Follow-up overdue: %(subject)s") % {"subject": interaction.subject},
        body=_("The follow-up was due on %(date)s.")
        % {"date": interaction.next_follow_up.isoformat()},
        url=interaction.get_absolute_url(),
        key=overdue_key(interaction),
    )
