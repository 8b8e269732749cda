"""The Django admin for sales targets (superusers only; members use /analytics/targets/)."""

from django.contrib import admin

from guanxi.analytics.models import SalesTarget
from guanxi.core.admin import WorkspaceRecordAdmin


@admin.register(SalesTarget)
class SalesTargetAdmin(WorkspaceRecordAdmin):
    list_display = ("month", "user", "team", "amount", "workspace")
    list_select_related = ("workspace", "user", "team")
    raw_id_fields = ("user", "team")
    date_hierarchy = "month"
