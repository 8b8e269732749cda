"""The Django admin for companies: superusers inspect and fix rows across workspaces.

Records are created in the app (UI, API, import), where the workspace comes from the member;
the admin only changes and deletes them, and every change is audited with source "admin".
"""

from django.contrib import admin

from guanxi.companies.models import Company
from guanxi.core.admin import WorkspaceRecordAdmin


@admin.register(Company)
class CompanyAdmin(WorkspaceRecordAdmin):
    list_display = ("name", "workspace", "industry", "lifecycle_stage", "owner", "created_at")
    list_filter = ("lifecycle_stage", "industry", "customer_type")
    search_fields = ("name", "short_name")
    exclude = ("tags",)
