"""Lead filters shared by the list page, the API, bulk actions and export."""

from __future__ import annotations

import django_filters
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from guanxi.companies.choices import CompanySize, Industry, Source
from guanxi.core.fields import blind_index_of
from guanxi.core.filtersets import OwnedRecordFilterSet
from guanxi.core.pii import email_index_form, mobile_index_form, normalise_email, normalise_mobile
from guanxi.leads.choices import LeadPriority, LeadStatus, ScoreStage
from guanxi.leads.models import Lead

MAX_SEARCH_LENGTH = 100


def lead_search(queryset: QuerySet[Lead], value: str) -> QuerySet[Lead]:
    """Exact mobile, exact email, else the start of the person's or the company's name."""
    value = value.strip()[:MAX_SEARCH_LENGTH]
    if not value:
        return queryset
    if "@" in value:
        try:
            index = blind_index_of(normalise_email(value), email_index_form)
            return queryset.filter(email_index=index)
        except ValidationError:
            pass
    if value.lstrip("+").replace(" ", "").replace("-", "").isdigit():
        try:
            index = blind_index_of(normalise_mobile(value), mobile_index_form)
            return queryset.filter(mobile_index=index)
        except ValidationError:
            pass
    return queryset.filter(Q(name__icontains=value) | Q(company_name__icontains=value))


class LeadFilterSet(OwnedRecordFilterSet):
    search = django_filters.CharFilter(method="search_records", label=_("Search"))
    status = django_filters.ChoiceFilter(choices=LeadStatus.choices, label=_("Status"))
    score_stage = django_filters.ChoiceFilter(
        choices=[c for c in ScoreStage.choices if c[0]], label=_("Qualification")
    )
    priority = django_filters.ChoiceFilter(choices=LeadPriority.choices, label=_("Priority"))
    source = django_filters.ChoiceFilter(choices=Source.choices, label=_("Source"))
    industry = django_filters.ChoiceFilter(choices=Industry.choices, label=_("Industry"))
    company_size = django_filters.ChoiceFilter(choices=CompanySize.choices, label=_("Company size"))
    score_min = django_filters.NumberFilter(
        field_name="score", lookup_expr="gte", min_value=0, max_value=100, label=_("Score at least")
    )
    score_max = django_filters.NumberFilter(
        field_name="score", lookup_expr="lte", min_value=0, max_value=100, label=_("Score at most")
    )
    utm_source = django_filters.CharFilter(label=_("UTM source"), max_length=100)
    utm_medium = django_filters.CharFilter(label=_("UTM medium"), max_length=100)
    utm_campaign = django_filters.CharFilter(label=_("UTM campaign"), max_length=100)
    province = django_filters.CharFilter(label=_("Province"), max_length=50)
    matched = django_filters.BooleanFilter(
        field_name="matched_contact",
        lookup_expr="isnull",
        exclude=True,
        label=_("Matches an existing contact"),
    )

    class Meta:
        model = Lead
        fields = ["owner", "status", "priority", "source", "industry", "tag"]

    def search_records(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return lead_search(queryset, value)
