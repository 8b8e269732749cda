"""The drill-down links of the reports' figures: each row gets the URL of the deals behind it.

`link_*` set `url` (and `won_url` / `open_url`) on a report's rows, for the dashboard panels'
tables and charts; every link carries the report's filters (`ReportParams.query`).
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.http import urlencode

from guanxi.analytics.filters import ReportParams
from guanxi.analytics.reports import (
    EfficiencyRow,
    ForecastReport,
    FunnelReport,
    PipelineValueReport,
)

DRILL_DOWN_REPORTS = ("funnel", "pipeline-value", "forecast", "efficiency")


def drill_url(report: str, params: ReportParams, **extra: Any) -> str:
    """The page listing the deals behind one figure, with the report's filters."""
    query = params.query(report=report, **{k: v for k, v in extra.items() if v not in (None, "")})
    return f"{reverse('analytics:deals')}?{urlencode(query)}"


def link_funnel(funnel: FunnelReport, params: ReportParams) -> None:
    pipeline_id = funnel.pipeline.pk if funnel.pipeline else None
    for row in funnel.stages:
        row.url = drill_url("funnel", params, pipeline=pipeline_id, stage=row.stage.pk)


def link_value(value: PipelineValueReport, params: ReportParams) -> str:
    """Links the stage and group rows; returns the link of the total (the open pipeline)."""
    for row in value.by_stage:
        row.url = drill_url("pipeline-value", params, stage=row.key)
    for row in value.by_group:
        row.url = drill_url("pipeline-value", params, **{value.group_by: row.key})
    return drill_url("pipeline-value", params)


def link_forecast(forecast: ForecastReport, params: ReportParams) -> None:
    for row in forecast.rows:
        group = {forecast.group_by: row.key} if forecast.group_by else {}
        row.open_url = drill_url("forecast", params, month=row.month, **group)
        row.won_url = drill_url("forecast", params, month=row.month, outcome="won", **group)


def link_efficiency(efficiency: list[EfficiencyRow], params: ReportParams) -> None:
    for row in efficiency:
        row.url = drill_url("efficiency", params, owner=row.owner_id)
        row.won_url = drill_url("efficiency", params, owner=row.owner_id, outcome="won")
