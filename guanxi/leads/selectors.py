"""Reads of leads, scoped to the membership's workspace and visibility."""

from __future__ import annotations

from django.db.models import QuerySet

from guanxi.core.permissions import Action, visible_owner_filter
from guanxi.leads.models import Lead, ScoreHistory
from guanxi.workspaces.models import Membership

SCORE_HISTORY_SHOWN = 10


def lead_list(*, membership: Membership, action: str = Action.VIEW) -> QuerySet[Lead]:
    return (
        Lead.objects.for_workspace(membership.workspace)
        .filter(visible_owner_filter(membership, "leads", action))
        .select_related("owner")
        .prefetch_related("tags")
    )


def lead_score_history(*, lead: Lead) -> list[ScoreHistory]:
    return list(ScoreHistory.objects.filter(lead=lead).order_by("-id")[:SCORE_HISTORY_SHOWN])
