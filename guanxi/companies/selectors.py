"""Reads of companies, scoped to the membership's workspace and visibility."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from guanxi.companies.models import Company
from guanxi.core.permissions import Action, visible_owner_filter
from guanxi.workspaces.models import Membership


def company_list(*, membership: Membership, action: str = Action.VIEW) -> QuerySet[Company]:
    return (
        Company.objects.for_workspace(membership.workspace)
        .filter(visible_owner_filter(membership, "companies", action))
        .select_related("owner")
        .prefetch_related("tags")
    )


def company_detail_list(*, membership: Membership, action: str = Action.VIEW) -> QuerySet[Company]:
    return company_list(membership=membership, action=action).annotate(
        contact_count=Count("contacts")
    )
