"""Choices of interactions: channel, direction and status (INT-1, INT-2)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Channel(models.TextChoices):
    CALL = "call", _("Call")
    EMAIL = "email", _("Email")
    MEETING = "meeting", _("Meeting")
    CHAT = "chat", _("Chat")
    VISIT = "visit", _("Visit")
    NOTE = "note", _("Note")
    WECHAT = "wechat", _("WeChat")
    SMS = "sms", _("SMS")


class Direction(models.TextChoices):
    INBOUND = "inbound", _("Inbound")
    OUTBOUND = "outbound", _("Outbound")
    INTERNAL = "internal", pgettext_lazy("interaction direction", "Internal")


class InteractionStatus(models.TextChoices):
    """The three states of the seeds' interaction table: 已回复 / 待回复 / 待处理."""

    REPLIED = "replied", _("Replied")
    AWAITING_REPLY = "awaiting_reply", _("Awaiting reply")
    TO_BE_HANDLED = "to_be_handled", _("To be handled")
