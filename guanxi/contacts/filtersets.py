"""Contact filters shared by the list page, the API, bulk actions and export."""

from __future__ import annotations

import django_filters
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from guanxi.companies.filtersets import CustomerFilterSet
from guanxi.companies.models import Company
from guanxi.contacts.choices import Gender
from guanxi.contacts.models import Contact
from guanxi.core.fields import blind_index_of
from guanxi.core.filtersets import workspace_of
from guanxi.core.pii import email_index_form, mobile_index_form, normalise_email, normalise_mobile

MAX_SEARCH_LENGTH = 100


def workspace_companies(request) -> QuerySet[Company]:
    return Company.objects.filter(workspace=workspace_of(request))


def contact_search(queryset: QuerySet[Contact], value: str, *, workspace) -> QuerySet[Contact]:
    """Exact mobile, exact email, else partial name (Chinese or Latin) or company name."""
    value = value.strip()[:MAX_SEARCH_LENGTH]
    if not value:
        return queryset
    if "@" in value:
        try:
            return queryset.filter(
                email_index=blind_index_of(normalise_email(value), email_index_form)
            )
        except ValidationError:
            return queryset.filter(name__icontains=value)
    if value.lstrip("+").replace(" ", "").replace("-", "").isdigit():
        try:
            return queryset.filter(
                mobile_index=blind_index_of(normalise_mobile(value), mobile_index_form)
            )
        except ValidationError:
            return queryset.filter(name__icontains=value)
    companies = Company.objects.filter(workspace=workspace).filter(
        Q(name__icontains=value) | Q(short_name__icontains=value)
    )
    # the substring match runs over the narrow covering index contact_ws_search_idx and yields
    # ids; only the page's rows are then read (checking LIKE row by row in id order read the
    # whole table at random: 100 ms instead of 25 ms at 100,000 contacts)
    matches = Contact.objects.filter(workspace=workspace).filter(
        Q(name__icontains=value) | Q(company__in=companies.values("pk"))
    )
    return queryset.filter(pk__in=matches.values("pk"))


class ContactFilterSet(CustomerFilterSet):
    search = django_filters.CharFilter(method="search_records", label=_("Search"))
    company = django_filters.ModelChoiceFilter(queryset=workspace_companies, label=_("Company"))
    gender = django_filters.ChoiceFilter(choices=Gender.choices, label=_("Gender"))
    individual = django_filters.BooleanFilter(
        field_name="company", lookup_expr="isnull", label=_("Individual customers only")
    )

    class Meta:
        model = Contact
        fields = [
            "owner",
            "company",
            "industry",
            "lifecycle_stage",
            "source",
            "customer_type",
            "gender",
            "credit_level",
            "tag",
        ]

    def search_records(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return contact_search(queryset, value, workspace=workspace_of(self.request))
