"""Reads of notifications: always the requesting member's own, in their current workspace."""

from __future__ import annotations

from django.db.models import QuerySet

from guanxi.core.permissions import Action
from guanxi.notifications.models import Notification
from guanxi.workspaces.models import Membership

# the badge shows "99+" past this: counting a huge backlog exactly is not worth the time
UNREAD_COUNT_CAP = 100


def notification_list(
    *, membership: Membership, action: str = Action.VIEW
) -> QuerySet[Notification]:
    return Notification.objects.filter(
        workspace_id=membership.workspace_id, recipient_id=membership.user_id
    )


def unread_count(*, membership: Membership) -> int:
    """Unread notifications, counted up to UNREAD_COUNT_CAP (one small query)."""
    unread = notification_list(membership=membership).filter(read_at__isnull=True)
    return unread.order_by().values("id")[:UNREAD_COUNT_CAP].count()
