"""The one set of report filters the pages, the API and the drill-down lists read the query string with."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guanxi.opportunities.choices import OpportunitySource
from guanxi.opportunities.models import Pipeline, Stage
from guanxi.users.models import User
from guanxi.workspaces.models import Team, Workspace

# a forecast shows one row per month; a few years is all a page or an API answer should hold
MAX_PERIOD_DAYS = 366 * 5
MAX_FORECAST_MONTHS = 36


PAGE_FIELDS = ("start", "end", "pipeline", "owner", "team", "source", "group_by")


class GroupBy:
    OWNER = "owner"
    TEAM = "team"
    CHOICES = [("", _("Everyone")), (OWNER, _("Owner")), (TEAM, _("Team"))]


@dataclass(frozen=True)
class ReportParams:
    """Cleaned filters: who, which deals, which period (local dates, both ends included)."""

    workspace: Workspace
    start: datetime.date
    end: datetime.date
    pipeline: Pipeline | None = None
    owner: User | None = None
    team: Team | None = None
    source: str = ""
    group_by: str = ""
    # drill-down only: the figure's stage / month / outcome
    stage: Stage | None = None
    month: datetime.date | None = None
    outcome: str = ""

    def query(self, **extra: Any) -> dict[str, str]:
        """These filters as query parameters (for links), plus `extra`."""
        values = {
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "pipeline": self.pipeline.pk if self.pipeline else "",
            "owner": self.owner.pk if self.owner else "",
            "team": self.team.pk if self.team else "",
            "source": self.source,
            "group_by": self.group_by,
            **extra,
        }
        return {key: str(value) for key, value in values.items() if value not in ("", None)}


class ReportFilterForm(forms.Form):
    start = forms.DateField(label=_("From"), required=False)
    end = forms.DateField(label=_("To"), required=False)
    pipeline = forms.ModelChoiceField(
        label=_("Pipeline"), queryset=Pipeline.objects.none(), required=False
    )
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=User.objects.none(), required=False)
    team = forms.ModelChoiceField(label=_("Team"), queryset=Team.objects.none(), required=False)
    source = forms.ChoiceField(
        label=_("Source"), choices=[("", "—"), *OpportunitySource.choices], required=False
    )
    group_by = forms.ChoiceField(label=_("Group by"), choices=GroupBy.CHOICES, required=False)
    # drill-down only
    stage = forms.ModelChoiceField(queryset=Stage.objects.none(), required=False)
    month = forms.DateField(required=False)
    outcome = forms.ChoiceField(
        choices=[("", ""), ("won", "won"), ("open", "open")], required=False
    )

    def __init__(self, data: Any, *, workspace: Workspace):
        # the period's inputs show the default period rather than staying empty
        data = data.copy() if data is not None else {}
        start, end = default_period()
        if not data.get("start"):
            data["start"] = start.isoformat()
        if not data.get("end"):
            data["end"] = end.isoformat()
        super().__init__(data)
        self.workspace = workspace
        self.fields["pipeline"].queryset = Pipeline.objects.filter(workspace=workspace)
        self.fields["owner"].queryset = User.objects.filter(
            memberships__workspace=workspace
        ).order_by("username")
        self.fields["team"].queryset = Team.objects.filter(workspace=workspace)
        self.fields["stage"].queryset = Stage.objects.filter(workspace=workspace)
        for name in ("start", "end", "month"):
            self.fields[name].widget = forms.DateInput(attrs={"type": "date"})
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)

    def page_fields(self) -> list[forms.BoundField]:
        """The filters the dashboard shows (stage, month and outcome only come from links)."""
        return [self[name] for name in PAGE_FIELDS]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = default_period()
        data["start"] = data.get("start") or start
        data["end"] = data.get("end") or end
        if data["start"] > data["end"]:
            raise ValidationError({"end": _("The end must not be before the start.")})
        if (data["end"] - data["start"]).days > MAX_PERIOD_DAYS:
            raise ValidationError({"end": _("Choose a period of at most five years.")})
        return data

    def params(self) -> ReportParams:
        """The cleaned filters; call after is_valid()."""
        data = self.cleaned_data
        return ReportParams(
            workspace=self.workspace,
            start=data["start"],
            end=data["end"],
            pipeline=data.get("pipeline"),
            owner=data.get("owner"),
            team=data.get("team"),
            source=data.get("source") or "",
            group_by=data.get("group_by") or "",
            stage=data.get("stage"),
            month=data["month"].replace(day=1) if data.get("month") else None,
            outcome=data.get("outcome") or "",
        )


def default_period() -> tuple[datetime.date, datetime.date]:
    """This calendar year: the funnel and efficiency so far, the forecast for every month."""
    today = timezone.localdate()
    return today.replace(month=1, day=1), today.replace(month=12, day=31)


def add_months(month: datetime.date, count: int) -> datetime.date:
    """The first day of the month `count` months after `month`."""
    index = month.year * 12 + month.month - 1 + count
    return datetime.date(index // 12, index % 12 + 1, 1)
