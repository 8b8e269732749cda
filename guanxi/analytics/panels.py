"""The dashboard's panels: each computes one report (with its drill-down links, chart data and
key figures) in a request of its own, so the page is as slow as its slowest report.

`PANELS[name].context(membership, params)` is the context of `analytics/partials/_panel_<name>.html`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from guanxi.analytics import reports
from guanxi.analytics.charts import forecast_chart, funnel_chart, value_chart
from guanxi.analytics.drill import link_efficiency, link_forecast, link_funnel, link_value
from guanxi.analytics.filters import ReportParams
from guanxi.workspaces.models import Membership


def funnel_context(membership: Membership, params: ReportParams) -> dict[str, Any]:
    funnel = reports.funnel_report(membership, params)
    link_funnel(funnel, params)
    return {"funnel": funnel, "chart": funnel_chart(funnel)}


def value_context(membership: Membership, params: ReportParams) -> dict[str, Any]:
    value = reports.pipeline_value_report(membership, params)
    total_url = link_value(value, params)
    return {"value": value, "value_total_url": total_url, "chart": value_chart(value)}


def forecast_context(membership: Membership, params: ReportParams) -> dict[str, Any]:
    forecast = reports.forecast_report(membership, params)
    link_forecast(forecast, params)
    return {"forecast": forecast, "chart": forecast_chart(forecast)}


def efficiency_context(membership: Membership, params: ReportParams) -> dict[str, Any]:
    efficiency = reports.efficiency_report(membership, params)
    link_efficiency(efficiency, params)
    return {"efficiency": efficiency}


@dataclass(frozen=True)
class Panel:
    name: str
    context: Callable[[Membership, ReportParams], dict[str, Any]]

    @property
    def template(self) -> str:
        return f"analytics/partials/_panel_{self.name}.html"


# in the page's order
PANELS: dict[str, Panel] = {
    panel.name: panel
    for panel in (
        Panel("value", value_context),
        Panel("funnel", funnel_context),
        Panel("efficiency", efficiency_context),
        Panel("forecast", forecast_context),
    )
}
