"""Target filters shared by the targets page and the API."""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from guanxi.analytics.models import SalesTarget
from guanxi.core.filtersets import workspace_of, workspace_users
from guanxi.workspaces.models import Team

MAX_SEARCH_LENGTH = 100


def workspace_teams(request) -> QuerySet[Team]:
    return Team.objects.filter(workspace=workspace_of(request))


class SalesTargetFilterSet(django_filters.FilterSet):
    search = django_filters.CharFilter(method="search_names", label=_("Search"))
    user = django_filters.ModelChoiceFilter(queryset=workspace_users, label=_("User"))
    team = django_filters.ModelChoiceFilter(queryset=workspace_teams, label=_("Team"))
    month_from = django_filters.DateFilter(
        field_name="month", lookup_expr="gte", label=_("Months from")
    )
    month_until = django_filters.DateFilter(
        field_name="month", lookup_expr="lte", label=_("Months until")
    )

    class Meta:
        model = SalesTarget
        fields = ["user", "team"]

    def search_names(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()[:MAX_SEARCH_LENGTH]
        if not value:
            return queryset
        return queryset.filter(
            Q(user__username__icontains=value)
            | Q(user__display_name__icontains=value)
            | Q(team__name__icontains=value)
        )
