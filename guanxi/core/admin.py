"""Admin building blocks shared by every workspace record's admin."""

from django.contrib import admin


class WorkspaceRecordAdmin(admin.ModelAdmin):
    """Shared admin behaviour for workspace records: no adding, workspace and times read-only."""

    readonly_fields = ("workspace", "created_at", "updated_at")
    raw_id_fields = ("owner",)
    list_select_related = ("workspace", "owner")
    list_per_page = 50
    # COUNT(*) over a million rows on every page is what makes admin lists slow
    show_full_result_count = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False
