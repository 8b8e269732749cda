"""The dashboard charts' data, one block per panel, handed to analytics.js through json_script
(no inline scripts): `<name>-chart-data` next to the panel's `data-chart="<name>"` element.

Only display values: the exact figures are in the tables and the API. Call after drill.py's
`link_*`, so that clicking a funnel stage or a stage bar opens the deals behind it.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from guanxi.analytics.reports import ForecastReport, FunnelReport, PipelineValueReport


def number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def funnel_chart(funnel: FunnelReport) -> dict[str, Any]:
    return {
        "labels": {"conversion": _("Conversion")},
        "stages": [
            {
                "name": row.stage.name,
                "value": row.count,
                "conversion": number(row.conversion),
                "url": getattr(row, "url", ""),
            }
            for row in funnel.stages
        ],
    }


def value_chart(value: PipelineValueReport) -> dict[str, Any]:
    return {
        "labels": {"amount": _("Amount"), "weighted": _("Weighted amount")},
        "stages": [row.label for row in value.by_stage],
        "amount": [number(row.amount) for row in value.by_stage],
        "weighted": [number(row.weighted) for row in value.by_stage],
        "urls": [getattr(row, "url", "") for row in value.by_stage],
    }


def forecast_chart(forecast: ForecastReport) -> dict[str, Any]:
    """Per month, whatever the grouping: won, weighted open and target added up."""
    months: dict[Any, dict[str, Decimal]] = defaultdict(
        lambda: {"won": Decimal(0), "weighted": Decimal(0), "target": Decimal(0)}
    )
    has_target: set[Any] = set()
    for row in forecast.rows:
        month = months[row.month]
        month["won"] += row.won
        month["weighted"] += row.weighted
        if row.target is not None:
            month["target"] += row.target
            has_target.add(row.month)
    ordered = sorted(months)
    return {
        "labels": {"won": _("Won"), "weighted": _("Weighted amount"), "target": _("Target")},
        "months": [month.strftime("%Y-%m") for month in ordered],
        "won": [number(months[month]["won"]) for month in ordered],
        "weighted": [number(months[month]["weighted"]) for month in ordered],
        "target": [
            number(months[month]["target"]) if month in has_target else None for month in ordered
        ],
    }
