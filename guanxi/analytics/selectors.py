"""Reads of sales targets; the reports are in reports.py."""

from __future__ import annotations

from django.db.models import QuerySet

from guanxi.analytics.models import SalesTarget
from guanxi.core.permissions import Action
from guanxi.workspaces.models import Membership


def sales_target_list(
    *, membership: Membership, action: str = Action.VIEW
) -> QuerySet[SalesTarget]:
    """Targets are not owned records: whoever may view them sees the workspace's targets."""
    return SalesTarget.objects.for_workspace(membership.workspace).select_related("user", "team")
