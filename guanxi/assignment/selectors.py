"""Reads of the rule table, scoped to the membership's workspace."""

from __future__ import annotations

from django.db.models import QuerySet

from guanxi.assignment.models import AssignmentRule
from guanxi.core.permissions import Action
from guanxi.workspaces.models import Membership


def rule_list(*, membership: Membership, action: str = Action.VIEW) -> QuerySet[AssignmentRule]:
    return (
        AssignmentRule.objects.for_workspace(membership.workspace)
        .select_related("target_user", "target_team")
        .order_by("object_type", "is_default", "order", "id")
    )
