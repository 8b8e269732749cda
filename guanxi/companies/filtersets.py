"""Company filters shared by the list page, the API, bulk actions and export."""

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from guanxi.companies.choices import (
    CompanySize,
    CreditLevel,
    CustomerType,
    Industry,
    LifecycleStage,
    Source,
)
from guanxi.companies.models import Company
from guanxi.core.filtersets import OwnedRecordFilterSet, workspace_of
from guanxi.customfields.filters import CustomFieldFilterMixin
from guanxi.search.filtering import text_search
from guanxi.search.indexes import COMPANY_ALIASES, COMPANY_NAMES
from guanxi.search.matching import matching_ids


class CustomerFilterSet(CustomFieldFilterMixin, OwnedRecordFilterSet):
    """Classification filters companies and contacts share, declared so their labels stay
    translatable (django-filter's automatic labels are fixed in one language at import);
    the workspace's custom field filters (cf_<key>) are added per request."""

    industry = django_filters.ChoiceFilter(choices=Industry.choices, label=_("Industry"))
    lifecycle_stage = django_filters.ChoiceFilter(
        choices=LifecycleStage.choices, label=_("Lifecycle stage")
    )
    source = django_filters.ChoiceFilter(choices=Source.choices, label=_("Source"))
    customer_type = django_filters.ChoiceFilter(
        choices=CustomerType.choices, label=_("Customer type")
    )
    credit_level = django_filters.ChoiceFilter(choices=CreditLevel.choices, label=_("Credit level"))
    completeness_min = django_filters.NumberFilter(
        field_name="completeness",
        lookup_expr="gte",
        min_value=0,
        max_value=100,
        label=_("Completeness at least (%)"),
    )
    completeness_max = django_filters.NumberFilter(
        field_name="completeness",
        lookup_expr="lte",
        min_value=0,
        max_value=100,
        label=_("Completeness at most (%)"),
    )


class CompanyFilterSet(CustomerFilterSet):
    search = django_filters.CharFilter(method="search_records", label=_("Search"))
    size = django_filters.ChoiceFilter(choices=CompanySize.choices, label=_("Company size"))

    class Meta:
        model = Company
        fields = [
            "owner",
            "industry",
            "size",
            "lifecycle_stage",
            "source",
            "customer_type",
            "credit_level",
            "tag",
        ]

    def search_records(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()[:100]
        if not value:
            return queryset
        # name or short name, or an alias, from the text indexes (guanxi.search)
        workspace = workspace_of(self.request)
        return text_search(
            queryset,
            value,
            source=COMPANY_NAMES,
            workspace=workspace,
            related={"pk": matching_ids(COMPANY_ALIASES, value, workspace=workspace)},
        )
