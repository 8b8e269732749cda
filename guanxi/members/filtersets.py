"""Member and transaction filters shared by the list pages and the API."""

from __future__ import annotations

from decimal import Decimal

import django_filters
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from guanxi.contacts.models import Contact
from guanxi.core.filtersets import workspace_of, workspace_tags, workspace_users
from guanxi.customfields.filters import CustomFieldFilterMixin
from guanxi.members.choices import Level, MemberStatus, TransactionKind
from guanxi.members.models import Member, Transaction

MAX_SEARCH_LENGTH = 100
MAX_AMOUNT = Decimal("99999999999.99")


def workspace_contacts(request) -> QuerySet[Contact]:
    return Contact.objects.filter(workspace=workspace_of(request))


def workspace_members(request) -> QuerySet[Member]:
    return Member.objects.filter(workspace=workspace_of(request))


def amount_filter(lookup: str, label) -> django_filters.NumberFilter:
    return django_filters.NumberFilter(
        field_name="total_consumption",
        lookup_expr=lookup,
        min_value=0,
        max_value=MAX_AMOUNT,
        label=label,
    )


class MemberFilterSet(CustomFieldFilterMixin, django_filters.FilterSet):
    search = django_filters.CharFilter(method="search_members", label=_("Search"))
    level = django_filters.ChoiceFilter(choices=Level.choices, label=_("Level"))
    status = django_filters.ChoiceFilter(choices=MemberStatus.choices, label=_("Status"))
    min_spend = amount_filter("gte", _("Spend at least"))
    max_spend = amount_filter("lte", _("Spend at most"))
    last_purchase_after = django_filters.DateFilter(
        field_name="last_purchase_at", lookup_expr="gte", label=_("Last purchase from")
    )
    last_purchase_before = django_filters.DateFilter(
        field_name="last_purchase_at", lookup_expr="lte", label=_("Last purchase until")
    )
    owner = django_filters.ModelChoiceFilter(
        field_name="contact__owner", queryset=workspace_users, label=_("Owner")
    )
    tag = django_filters.ModelMultipleChoiceFilter(
        field_name="interest_tags",
        queryset=workspace_tags,
        label=_("Interest tag"),
        method="filter_any_tag",
    )
    contact = django_filters.ModelChoiceFilter(queryset=workspace_contacts, label=_("Contact"))

    class Meta:
        model = Member
        fields = ["level", "status", "owner", "tag", "contact"]

    def search_members(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        """Member number (exact or start) or the contact's name."""
        value = value.strip()[:MAX_SEARCH_LENGTH]
        if not value:
            return queryset
        return queryset.filter(
            Q(member_number__istartswith=value) | Q(contact__name__icontains=value)
        )

    def filter_any_tag(self, queryset: QuerySet, name: str, tags: list) -> QuerySet:
        if not tags:
            return queryset
        through = Member.interest_tags.through
        return queryset.filter(
            Exists(through.objects.filter(member_id=OuterRef("pk"), tag__in=tags))
        )


class TransactionFilterSet(django_filters.FilterSet):
    search = django_filters.CharFilter(method="search_transactions", label=_("Search"))
    member = django_filters.ModelChoiceFilter(
        queryset=workspace_members, label=pgettext_lazy("loyalty", "Member")
    )
    kind = django_filters.ChoiceFilter(choices=TransactionKind.choices, label=_("Type"))
    occurred_after = django_filters.DateFilter(
        field_name="occurred_on", lookup_expr="gte", label=_("Date from")
    )
    occurred_before = django_filters.DateFilter(
        field_name="occurred_on", lookup_expr="lte", label=_("Date until")
    )

    class Meta:
        model = Transaction
        fields = ["member", "kind"]

    def search_transactions(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        """Member number, channel or external reference."""
        value = value.strip()[:MAX_SEARCH_LENGTH]
        if not value:
            return queryset
        return queryset.filter(
            Q(member__member_number__istartswith=value)
            | Q(channel__icontains=value)
            | Q(external_ref=value)
        )
