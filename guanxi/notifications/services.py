"""Every write to notifications: send (one or many, idempotent by key) and mark read."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guanxi.notifications.models import Notification
from guanxi.users.models import User
from guanxi.workspaces.models import Membership, Workspace

TITLE_LENGTH = 200
BODY_LENGTH = 2000


@dataclass(frozen=True)
class NotificationDraft:
    recipient_id: object
    workspace_id: object
    title: str
    url: str = ""
    body: str = ""
    key: str | None = None


def _local_url(url: str) -> str:
    # a notification links inside the site: "//evil.example" and "https://…" are refused
    if url and (not url.startswith("/") or url.startswith("//") or "\\" in url):
        raise ValidationError({"url": _("A notification links to a page of this site.")})
    return url[:500]


def _row(draft: NotificationDraft) -> Notification:
    return Notification(
        workspace_id=draft.workspace_id,
        recipient_id=draft.recipient_id,
        title=draft.title[:TITLE_LENGTH],
        body=draft.body[:BODY_LENGTH],
        url=_local_url(draft.url),
        dedupe_key=(draft.key or "")[:200],
    )


def notify(
    *,
    recipient: User,
    workspace: Workspace,
    title: str,
    url: str = "",
    body: str = "",
    key: str | None = None,
) -> Notification | None:
    """Send one notification; with a `key` already sent to this recipient, send nothing (None)."""
    draft = NotificationDraft(recipient.pk, workspace.pk, title, url, body, key)
    if key and Notification.objects.filter(recipient=recipient, dedupe_key=key).exists():
        return None
    created = notifications_send(drafts=[draft])
    return created[0] if created else None


@transaction.atomic
def notifications_send(*, drafts: Iterable[NotificationDraft]) -> list[Notification]:
    """Send many at once (jobs): one insert; keys already sent are skipped by the database."""
    rows = [_row(draft) for draft in drafts]
    if not rows:
        return []
    keys = [row.dedupe_key for row in rows if row.dedupe_key]
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    # ignore_conflicts leaves no way to tell which rows went in: read them back by id
    return list(Notification.objects.filter(pk__in=[row.pk for row in rows])) if keys else rows


def notification_mark_read(*, notification: Notification, actor: User | None = None) -> bool:
    """Mark one notification read; False when it already was."""
    if notification.read_at is not None:
        return False
    notification.read_at = timezone.now()
    notification.save(update_fields=["read_at", "updated_at"])
    return True


def notifications_mark_all_read(*, membership: Membership) -> int:
    """Mark every unread notification of this member in this workspace read (one update)."""
    now = timezone.now()
    return Notification.objects.filter(
        workspace_id=membership.workspace_id,
        recipient_id=membership.user_id,
        read_at__isnull=True,
    ).update(read_at=now, updated_at=now)
