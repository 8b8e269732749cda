"""The sales target form: one user or one team, a month, an amount."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from guanxi.analytics.filtersets import workspace_teams
from guanxi.analytics.models import SalesTarget
from guanxi.core.forms import WorkspaceMemberField, WorkspaceModelForm

MONTH_FORMATS = ["%Y-%m", "%Y-%m-%d"]


class MonthInput(forms.TextInput):
    """The browser's month picker: it sends and shows "2026-03"."""

    input_type = "month"

    def format_value(self, value: Any) -> str | None:
        if hasattr(value, "strftime"):
            return value.strftime("%Y-%m")
        return super().format_value(value)


class SalesTargetForm(WorkspaceModelForm):
    month = forms.DateField(
        label=_("Month"),
        input_formats=MONTH_FORMATS,
        widget=MonthInput(attrs={"placeholder": "2026-03"}),
    )

    class Meta:
        model = SalesTarget
        fields = ["user", "team", "month", "amount"]

    def __init__(self, *args: Any, request: Any, **kwargs: Any):
        super().__init__(*args, request=request, **kwargs)
        self.fields["user"] = WorkspaceMemberField(
            request,
            required=False,
            label=_("User"),
            help_text=_("Either a user or a team."),
        )
        self.fields["team"].queryset = workspace_teams(request)
        self.fields["team"].help_text = _("Either a user or a team.")
        self.fields["user"].widget.attrs["class"] = "form-select"
        self.order_fields(["user", "team", "month", "amount"])
