"""Every write to interactions: log, edit, delete, and complete a follow-up."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from guanxi.core.services import model_update, record_create, record_update
from guanxi.interactions.models import Interaction
from guanxi.interactions.richtext import sanitise_rich_text
from guanxi.users.models import User
from guanxi.workspaces.models import Workspace

INTERACTION_EDITABLE_FIELDS = (
    "contact",
    "company",
    "occurred_at",
    "channel",
    "direction",
    "subject",
    "content",
    "status",
    "next_follow_up",
    "follow_up_done",
    "owner",
)


def _prepared(data: dict[str, Any], instance: Interaction | None = None) -> dict[str, Any]:
    """Sanitised content, and the contact's company when no company was chosen."""
    data = dict(data)
    if "content" in data:
        data["content"] = sanitise_rich_text(data["content"] or "")
    contact = data["contact"] if "contact" in data else getattr(instance, "contact", None)
    company = data["company"] if "company" in data else getattr(instance, "company", None)
    if contact is not None and company is None and contact.company_id:
        data["company"] = contact.company
    # a new follow-up date is a new promise: it is open again
    rescheduled = (
        instance is not None
        and "next_follow_up" in data
        and data["next_follow_up"] != instance.next_follow_up
    )
    if rescheduled and "follow_up_done" not in data:
        data["follow_up_done"] = False
    return data


def interaction_create(*, workspace: Workspace, actor: User | None, **data: Any) -> Interaction:
    return record_create(model=Interaction, workspace=workspace, actor=actor, data=_prepared(data))


def interaction_update(
    *, interaction: Interaction, actor: User | None, data: dict[str, Any]
) -> Interaction:
    return record_update(
        instance=interaction,
        fields=INTERACTION_EDITABLE_FIELDS,
        data=_prepared(data, interaction),
    )


@transaction.atomic
def interaction_delete(*, interaction: Interaction, actor: User | None) -> None:
    interaction.delete()


@transaction.atomic
def follow_up_complete(*, interaction: Interaction, actor: User | None) -> Interaction:
    """Mark the follow-up as done; doing it twice changes nothing the second time."""
    model_update(instance=interaction, fields=["follow_up_done"], data={"follow_up_done": True})
    return interaction
