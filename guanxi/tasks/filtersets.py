"""Task filters shared by the list pages, the calendar and the API."""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guanxi.core.filtersets import workspace_users
from guanxi.tasks.choices import (
    CLOSED_STATUSES,
    OPEN_STATUSES,
    LinkedType,
    TaskKind,
    TaskPriority,
    TaskStatus,
)
from guanxi.tasks.models import LINK_FIELDS, Task

MAX_SEARCH_LENGTH = 100


class TaskFilterSet(django_filters.FilterSet):
    """Done and cancelled tasks are archived: left out unless a status or `include_closed` asks."""

    search = django_filters.CharFilter(method="search_title", label=_("Search"))
    status = django_filters.MultipleChoiceFilter(choices=TaskStatus.choices, label=_("Status"))
    include_closed = django_filters.BooleanFilter(
        method="keep", label=_("Include done and cancelled")
    )
    priority = django_filters.MultipleChoiceFilter(
        choices=TaskPriority.choices, label=_("Priority")
    )
    kind = django_filters.ChoiceFilter(choices=TaskKind.choices, label=_("Type"))
    owner = django_filters.ModelChoiceFilter(queryset=workspace_users, label=_("Assignee"))
    due_after = django_filters.DateFilter(
        field_name="due_at", lookup_expr="date__gte", label=_("Due from")
    )
    due_before = django_filters.DateFilter(
        field_name="due_at", lookup_expr="date__lte", label=_("Due until")
    )
    overdue = django_filters.BooleanFilter(method="filter_overdue", label=_("Overdue"))
    linked_type = django_filters.ChoiceFilter(
        choices=LinkedType.choices, method="filter_linked_type", label=_("Linked to")
    )

    # ids, not choices: a foreign or unknown id simply matches nothing
    contact = django_filters.UUIDFilter(field_name="contact", label=_("Contact"))
    company = django_filters.UUIDFilter(field_name="company", label=_("Company"))
    opportunity = django_filters.UUIDFilter(field_name="opportunity", label=_("Opportunity"))
    lead = django_filters.UUIDFilter(field_name="lead", label=_("Lead"))

    class Meta:
        model = Task
        fields: list[str] = []

    def __init__(self, data=None, *args, **kwargs):
        # always bound, so that the archive rule applies to a page opened without filters too
        super().__init__(data if data is not None else QueryDict(), *args, **kwargs)

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        queryset = super().filter_queryset(queryset)
        data = self.form.cleaned_data
        if not data.get("status") and not data.get("include_closed"):
            # IN rather than NOT IN: the (workspace, owner, status, due) index can serve it
            queryset = queryset.filter(status__in=OPEN_STATUSES)
        return queryset

    def keep(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        return queryset

    def search_title(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()[:MAX_SEARCH_LENGTH]
        return queryset.filter(title__icontains=value) if value else queryset

    def filter_overdue(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        if value is None:
            return queryset
        overdue = Q(due_at__lt=timezone.now()) & ~Q(status__in=CLOSED_STATUSES)
        return queryset.filter(overdue) if value else queryset.exclude(overdue)

    def filter_linked_type(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if not value:
            return queryset
        if value == LinkedType.NONE:
            return queryset.filter(**{f"{field}__isnull": True for field in LINK_FIELDS})
        if value not in LINK_FIELDS:
            return queryset.none()
        return queryset.filter(**{f"{value}__isnull": False})
