"""The timeline sources this app adds to contacts and companies: interactions and record changes."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Model
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guanxi.audit.choices import AuditAction
from guanxi.audit.models import AuditEvent
from guanxi.audit.presentation import field_of
from guanxi.audit.recording import object_type_of
from guanxi.core.timeline import TimelineEntry, TimelineSource
from guanxi.interactions.choices import InteractionStatus
from guanxi.interactions.richtext import plain_text
from guanxi.interactions.selectors import interactions_of_record
from guanxi.workspaces.models import Membership

STATUS_COLOURS = {
    InteractionStatus.REPLIED: "green",
    InteractionStatus.AWAITING_REPLY: "orange",
    InteractionStatus.TO_BE_HANDLED: "red",
}
CHANGE_COLOURS = {AuditAction.CREATE: "green", AuditAction.DELETE: "red"}
# field names listed in a change's summary before "and N more"
CHANGE_SUMMARY_FIELDS = 4


def interaction_entries(
    record: Model, membership: Membership, before: datetime | None, limit: int
) -> list[TimelineEntry]:
    """The record's interactions the member may see (a company's include its people's)."""
    interactions = interactions_of_record(record=record, membership=membership)
    if before is not None:
        interactions = interactions.filter(occurred_at__lt=before)
    on_company = record._meta.model_name == "company"
    return [
        TimelineEntry(
            at=interaction.occurred_at,
            kind="interaction",
            title=interaction.subject,
            body=plain_text(interaction.content),
            url=interaction.get_absolute_url(),
            actor=str(interaction.owner or ""),
            colour=STATUS_COLOURS.get(interaction.status, "blue"),
            extra={
                "badges": [
                    interaction.get_channel_display(),
                    interaction.get_direction_display(),
                    interaction.get_status_display(),
                ],
                "about": str(interaction.contact) if on_company and interaction.contact else "",
            },
        )
        for interaction in interactions.order_by("-occurred_at", "-id")[:limit]
    ]


def change_summary(model: type[Model], event: AuditEvent) -> str:
    labels = []
    for name in sorted(event.changes):
        model_field = field_of(model, name)
        labels.append(str(model_field.verbose_name) if model_field is not None else name)
    shown = ", ".join(labels[:CHANGE_SUMMARY_FIELDS])
    hidden = len(labels) - CHANGE_SUMMARY_FIELDS
    if hidden > 0:
        return _("%(fields)s and %(count)s more") % {"fields": shown, "count": hidden}
    return shown


def change_entries(
    record: Model, membership: Membership, before: datetime | None, limit: int
) -> list[TimelineEntry]:
    """The record's own change log: created, updated (which fields), deleted, merged."""
    events = AuditEvent.objects.filter(
        workspace_id=record.workspace_id,
        object_type=object_type_of(type(record)),
        object_id=str(record.pk),
    ).select_related("actor")
    if before is not None:
        events = events.filter(created_at__lt=before)
    model = type(record)
    return [
        TimelineEntry(
            at=event.created_at,
            kind="change",
            title=str(event.get_action_display()),
            body=(
                _("Changed: %(fields)s") % {"fields": change_summary(model, event)}
                if event.action == AuditAction.UPDATE and event.changes
                else ""
            ),
            actor=str(event.actor or event.get_source_display()),
            colour=CHANGE_COLOURS.get(event.action, "blue"),
        )
        for event in events.order_by("-created_at", "-id")[:limit]
    ]


INTERACTION_SOURCE = TimelineSource(
    kind="interaction",
    label=gettext_lazy("Interactions"),
    fetch=interaction_entries,
    resource="interactions",
)
CHANGE_SOURCE = TimelineSource(kind="change", label=gettext_lazy("Changes"), fetch=change_entries)
