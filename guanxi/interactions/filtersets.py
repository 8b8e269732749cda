"""Interaction filters shared by the list page and the API."""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guanxi.contacts.filtersets import workspace_companies
from guanxi.contacts.models import Contact
from guanxi.core.filtersets import workspace_of, workspace_users
from guanxi.interactions.choices import Channel, InteractionStatus
from guanxi.interactions.models import Interaction

MAX_SEARCH_LENGTH = 100


def workspace_contacts(request) -> QuerySet[Contact]:
    return Contact.objects.filter(workspace=workspace_of(request))


class FollowUp(django_filters.ChoiceFilter):
    """Open follow-ups by due date, in the workspace's time zone."""

    CHOICES = [
        ("due", _("Due (today or overdue)")),
        ("today", _("Due today")),
        ("overdue", _("Overdue")),
        ("upcoming", _("Upcoming")),
        ("done", _("Done")),
    ]

    def __init__(self, **kwargs):
        super().__init__(choices=self.CHOICES, **kwargs)

    def filter(self, queryset: QuerySet, value: str) -> QuerySet:
        if not value:
            return queryset
        if value == "done":
            return queryset.filter(next_follow_up__isnull=False, follow_up_done=True)
        today = timezone.localdate()
        lookup = {
            "due": "next_follow_up__lte",
            "today": "next_follow_up",
            "overdue": "next_follow_up__lt",
            "upcoming": "next_follow_up__gt",
        }[value]
        return queryset.filter(follow_up_done=False, **{lookup: today})


class InteractionFilterSet(django_filters.FilterSet):
    search = django_filters.CharFilter(method="search_subject", label=_("Search"))
    contact = django_filters.ModelChoiceFilter(queryset=workspace_contacts, label=_("Contact"))
    company = django_filters.ModelChoiceFilter(queryset=workspace_companies, label=_("Company"))
    owner = django_filters.ModelChoiceFilter(queryset=workspace_users, label=_("Owner"))
    channel = django_filters.ChoiceFilter(choices=Channel.choices, label=_("Channel"))
    status = django_filters.ChoiceFilter(choices=InteractionStatus.choices, label=_("Status"))
    occurred_after = django_filters.DateFilter(
        field_name="occurred_at", lookup_expr="date__gte", label=_("From")
    )
    occurred_before = django_filters.DateFilter(
        field_name="occurred_at", lookup_expr="date__lte", label=_("Until")
    )
    follow_up = FollowUp(label=_("Follow-up"))

    class Meta:
        model = Interaction
        fields = ["contact", "company", "owner", "channel", "status"]

    def search_subject(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()[:MAX_SEARCH_LENGTH]
        return queryset.filter(subject__icontains=value) if value else queryset
