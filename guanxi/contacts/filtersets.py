"""Contact filters shared by the list page, the API, bulk actions and export."""

from __future__ import annotations

import django_filters
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from guanxi.companies.filtersets import CustomerFilterSet
from guanxi.companies.models import Company
from guanxi.contacts.choices import Gender
from guanxi.contacts.models import Contact
from guanxi.core.fields import blind_index_of
from guanxi.core.filtersets import workspace_of
from guanxi.core.pii import email_index_form, mobile_index_form, normalise_email, normalise_mobile
from guanxi.search.filtering import text_search
from guanxi.search.indexes import CONTACT_NAMES
from guanxi.search.matching import matching_company_ids

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
            pass  # not an address or a number after all: search names
    if value.lstrip("+").replace(" ", "").replace("-", "").isdigit():
        try:
            return queryset.filter(
                mobile_index=blind_index_of(normalise_mobile(value), mobile_index_form)
            )
        except ValidationError:
            pass  # not an address or a number after all: search names
    # the name's or the company's text index (guanxi.search); the queryset keeps its scope and
    # order, and only the page's rows are read
    return text_search(
        queryset,
        value,
        source=CONTACT_NAMES,
        workspace=workspace,
        related={"company": matching_company_ids(value, workspace=workspace)},
    )


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
