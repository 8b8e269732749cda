"""The dashboard charts' data, handed to analytics.js through json_script (no inline scripts).

Only display values: the exact figures are in the tables and the API.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from guanxi.analytics.reports import ForecastReport, FunnelReport, PipelineValueReport


def number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def dashboard_charts(
    *, funnel: FunnelReport, value: PipelineValueReport, forecast: ForecastReport
) -> dict[str, Any]:
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
        "labels": {
            "count": _("Deals"),
            "conversion": _("Conversion"),
            "amount": _("Amount"),
            "weighted": _("Weighted amount"),
            "won": _("Won"),
            "target": _("Target"),
        },
        "funnel": [
            {
                "name": row.stage.name,
                "value": row.count,
                "conversion": number(row.conversion),
                "url": getattr(row, "url", ""),
            }
            for row in funnel.stages
        ],
        "value": {
            "stages": [row.label for row in value.by_stage],
            "amount": [number(row.amount) for row in value.by_stage],
            "weighted": [number(row.weighted) for row in value.by_stage],
            "urls": [getattr(row, "url", "") for row in value.by_stage],
        },
        "forecast": {
            "months": [month.strftime("%Y-%m") for month in ordered],
            "won": [number(months[month]["won"]) for month in ordered],
            "weighted": [number(months[month]["weighted"]) for month in ordered],
            "target": [
                number(months[month]["target"]) if month in has_target else None
                for month in ordered
            ],
        },
    }
