"""Deal filters shared by the list page, the board, the API and export."""

from __future__ import annotations

from datetime import timedelta

import django_filters
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guanxi.contacts.filtersets import workspace_companies
from guanxi.core.filtersets import workspace_of, workspace_users
from guanxi.opportunities.choices import OpportunitySource, OpportunityStatus
from guanxi.opportunities.models import Opportunity, Pipeline, Stage
from guanxi.workspaces.models import Team

MAX_SEARCH_LENGTH = 100
CLOSE_PERIODS = (
    ("overdue", _("Overdue")),
    ("this_month", _("This month")),
    ("next_month", _("Next month")),
    ("this_quarter", _("This quarter")),
    ("next_90_days", _("Next 90 days")),
)


def workspace_pipelines(request) -> QuerySet[Pipeline]:
    return Pipeline.objects.filter(workspace=workspace_of(request)).order_by("order", "id")


def workspace_stages(request) -> QuerySet[Stage]:
    return (
        Stage.objects.filter(workspace=workspace_of(request))
        .select_related("pipeline")
        .order_by("pipeline__order", "pipeline_id", "order")
    )


def workspace_teams(request) -> QuerySet[Team]:
    return Team.objects.filter(workspace=workspace_of(request))


def close_period_range(period: str, today=None):
    """(first day, last day) of a named close period; None for an unknown name."""
    today = today or timezone.localdate()
    month_start = today.replace(day=1)
    next_month = (month_start + timedelta(days=32)).replace(day=1)
    if period == "overdue":
        return (None, today - timedelta(days=1))
    if period == "this_month":
        return (month_start, next_month - timedelta(days=1))
    if period == "next_month":
        after = (next_month + timedelta(days=32)).replace(day=1)
        return (next_month, after - timedelta(days=1))
    if period == "this_quarter":
        first_month = 3 * ((today.month - 1) // 3) + 1
        start = today.replace(month=first_month, day=1)
        end = (start + timedelta(days=95)).replace(day=1) - timedelta(days=1)
        return (start, end)
    if period == "next_90_days":
        return (today, today + timedelta(days=90))
    return None


class OpportunityFilterSet(django_filters.FilterSet):
    search = django_filters.CharFilter(method="search_records", label=_("Search"))
    owner = django_filters.ModelChoiceFilter(queryset=workspace_users, label=_("Owner"))
    # a user has one membership per workspace, so the join adds no duplicate rows
    team = django_filters.ModelChoiceFilter(
        queryset=workspace_teams, field_name="owner__memberships__team", label=_("Team")
    )
    pipeline = django_filters.ModelChoiceFilter(queryset=workspace_pipelines, label=_("Pipeline"))
    stage = django_filters.ModelChoiceFilter(queryset=workspace_stages, label=_("Stage"))
    company = django_filters.ModelChoiceFilter(queryset=workspace_companies, label=_("Company"))
    status = django_filters.ChoiceFilter(choices=OpportunityStatus.choices, label=_("Status"))
    source = django_filters.ChoiceFilter(choices=OpportunitySource.choices, label=_("Source"))
    close_period = django_filters.ChoiceFilter(
        choices=CLOSE_PERIODS, method="filter_close_period", label=_("Close period")
    )
    close_after = django_filters.DateFilter(
        field_name="expected_close", lookup_expr="gte", label=_("Closes from")
    )
    close_before = django_filters.DateFilter(
        field_name="expected_close", lookup_expr="lte", label=_("Closes until")
    )
    amount_min = django_filters.NumberFilter(
        field_name="amount", lookup_expr="gte", label=_("Amount from")
    )
    amount_max = django_filters.NumberFilter(
        field_name="amount", lookup_expr="lte", label=_("Amount up to")
    )

    class Meta:
        model = Opportunity
        fields = ["owner", "pipeline", "stage", "status", "source", "company"]

    def search_records(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()[:MAX_SEARCH_LENGTH]
        return queryset.filter(name__icontains=value) if value else queryset

    def filter_close_period(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        bounds = close_period_range(value)
        if bounds is None:
            return queryset
        start, end = bounds
        if start is not None:
            queryset = queryset.filter(expected_close__gte=start)
        return queryset.filter(expected_close__lte=end)
