"""The Django admin for contacts; personal fields are searchable only through the app's blind
indexes, so the admin searches names."""

from django.contrib import admin

from guanxi.contacts.models import Contact
from guanxi.core.admin import WorkspaceRecordAdmin


@admin.register(Contact)
class ContactAdmin(WorkspaceRecordAdmin):
    list_display = ("name", "workspace", "company", "job_title", "owner", "created_at")
    list_filter = ("lifecycle_stage", "customer_type")
    list_select_related = ("workspace", "owner", "company")
    search_fields = ("name", "company__name")
    raw_id_fields = ("owner", "company")
    exclude = ("tags",)
