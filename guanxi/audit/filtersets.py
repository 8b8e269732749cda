"""Audit list filters (user, object type, action, date) for the admin page and the API."""

import django_filters
from django.utils.translation import gettext_lazy as _

from guanxi.audit.choices import AuditAction, AuditSource
from guanxi.audit.models import AuditEvent
from guanxi.core.filtersets import workspace_users


class AuditEventFilterSet(django_filters.FilterSet):
    actor = django_filters.ModelChoiceFilter(queryset=workspace_users, label=_("User"))
    object_type = django_filters.CharFilter(label=_("Object type"))
    object_id = django_filters.CharFilter(label=_("Object id"))
    action = django_filters.ChoiceFilter(choices=AuditAction.choices, label=_("Action"))
    source = django_filters.ChoiceFilter(choices=AuditSource.choices, label=_("Source"))
    date_from = django_filters.DateFilter(
        field_name="created_at", lookup_expr="date__gte", label=_("From")
    )
    date_to = django_filters.DateFilter(
        field_name="created_at", lookup_expr="date__lte", label=_("Until")
    )

    class Meta:
        model = AuditEvent
        fields = ["actor", "object_type", "object_id", "action", "source"]
