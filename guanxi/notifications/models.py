"""Notifications: short messages to one member (a follow-up is overdue, a task was assigned …)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from guanxi.core.models import WorkspaceModel


class Notification(WorkspaceModel):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("message"), blank=True, max_length=2000)
    # a path inside this site (validated by the service), never an outside address
    url = models.CharField(_("link"), max_length=500, blank=True)
    # jobs pass a key per event so that running them again notifies nobody twice
    dedupe_key = models.CharField(_("deduplication key"), max_length=200, blank=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "dedupe_key"],
                condition=~Q(dedupe_key=""),
                name="notification_unique_key",
            )
        ]
        indexes = [
            models.Index(fields=["workspace", "recipient", "-id"], name="notification_inbox_idx"),
            # the navbar's unread count on every page
            models.Index(
                fields=["workspace", "recipient", "read_at"], name="notification_unread_idx"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None
