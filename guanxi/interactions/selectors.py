"""Reads of interactions, scoped to the membership's workspace and visibility."""

from __future__ import annotations

from datetime import date

from django.db.models import Q, QuerySet
from django.utils import timezone

from guanxi.core.permissions import Action, visible_owner_filter
from guanxi.interactions.models import Interaction
from guanxi.workspaces.models import Membership

FOLLOW_UP_LIST_LIMIT = 20


def interaction_list(*, membership: Membership, action: str = Action.VIEW) -> QuerySet[Interaction]:
    return (
        Interaction.objects.for_workspace(membership.workspace)
        .filter(visible_owner_filter(membership, "interactions", action))
        .select_related("owner", "contact", "company")
    )


def interactions_of_record(*, record, membership: Membership) -> QuerySet[Interaction]:
    """A contact's interactions, or a company's including those with its people."""
    interactions = interaction_list(membership=membership)
    if record._meta.model_name == "company":
        return interactions.filter(Q(company=record) | Q(contact__company=record))
    return interactions.filter(contact=record)


def open_follow_ups(*, membership: Membership) -> QuerySet[Interaction]:
    """The member's own follow-ups not done yet."""
    return interaction_list(membership=membership).filter(
        owner_id=membership.user_id, follow_up_done=False, next_follow_up__isnull=False
    )


def follow_ups_due(
    *, membership: Membership, today: date | None = None
) -> dict[str, list[Interaction]]:
    """The member's follow-ups due today and overdue (oldest first), for the home page."""
    today = today or timezone.localdate()
    follow_ups = open_follow_ups(membership=membership).order_by("next_follow_up", "-id")
    return {
        "today": list(follow_ups.filter(next_follow_up=today)[:FOLLOW_UP_LIST_LIMIT]),
        "overdue": list(follow_ups.filter(next_follow_up__lt=today)[:FOLLOW_UP_LIST_LIMIT]),
    }
