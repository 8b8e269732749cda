"""Company filters shared by the list page, the API, bulk actions and export."""

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from guanxi.companies.models import Company
from guanxi.core.filtersets import OwnedRecordFilterSet


class CompanyFilterSet(OwnedRecordFilterSet):
    search = django_filters.CharFilter(method="search_records", label=_("Search"))

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
        return queryset.filter(Q(name__icontains=value) | Q(short_name__icontains=value))
