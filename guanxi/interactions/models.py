"""Interactions: calls, emails, meetings, chats, visits and notes logged against a customer (INT-1, INT-2)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guanxi.core.models import OwnedModel
from guanxi.interactions.choices import Channel, Direction, InteractionStatus
from guanxi.interactions.richtext import sanitise_rich_text

MAX_CONTENT_LENGTH = 20_000


class Interaction(OwnedModel):
    contact = models.ForeignKey(
        "contacts.Contact",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="interactions",
        verbose_name=_("contact"),
    )
    company = models.ForeignKey(
        "companies.Company",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="interactions",
        verbose_name=_("company"),
    )
    occurred_at = models.DateTimeField(_("when"), default=timezone.now)
    channel = models.CharField(
        _("channel"), max_length=16, choices=Channel.choices, default=Channel.CALL
    )
    direction = models.CharField(
        _("direction"), max_length=16, choices=Direction.choices, default=Direction.OUTBOUND
    )
    subject = models.CharField(_("subject"), max_length=200)
    # sanitised HTML (richtext.ALLOWED_TAGS): templates may mark it safe
    content = models.TextField(
        _("content"), blank=True, validators=[MaxLengthValidator(MAX_CONTENT_LENGTH)]
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=InteractionStatus.choices,
        default=InteractionStatus.REPLIED,
    )
    next_follow_up = models.DateField(_("next follow-up"), null=True, blank=True)
    follow_up_done = models.BooleanField(_("follow-up done"), default=False)

    audit_enabled = True

    class Meta:
        ordering = ["-occurred_at", "-id"]
        verbose_name = _("interaction")
        verbose_name_plural = _("interactions")
        indexes = [
            models.Index(
                fields=["workspace", "-occurred_at", "-id"], name="interaction_ws_time_idx"
            ),
            models.Index(
                fields=["workspace", "contact", "-occurred_at"], name="interaction_ws_contact_idx"
            ),
            models.Index(
                fields=["workspace", "company", "-occurred_at"], name="interaction_ws_company_idx"
            ),
            models.Index(
                fields=["workspace", "owner", "next_follow_up"], name="interaction_ws_follow_idx"
            ),
            models.Index(fields=["workspace", "channel", "-id"], name="interaction_ws_channel_idx"),
            models.Index(fields=["workspace", "status", "-id"], name="interaction_ws_status_idx"),
        ]

    def __str__(self) -> str:
        return self.subject

    def get_absolute_url(self) -> str:
        return reverse("interactions:detail", args=[self.pk])

    @property
    def follow_up_overdue(self) -> bool:
        return bool(
            self.next_follow_up
            and not self.follow_up_done
            and self.next_follow_up < timezone.localdate()
        )

    def clean(self) -> None:
        self.content = sanitise_rich_text(self.content)
        errors: dict[str, list] = {}
        if self.contact_id is None and self.company_id is None:
            errors["contact"] = [_("Choose the contact or the company this interaction was with.")]
        if self.workspace_id:
            if self.contact_id and self.contact.workspace_id != self.workspace_id:
                errors["contact"] = [_("Choose a contact of this workspace.")]
            if self.company_id and self.company.workspace_id != self.workspace_id:
                errors["company"] = [_("Choose a company of this workspace.")]
        if errors:
            raise ValidationError(errors)
