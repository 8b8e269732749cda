"""Weighted lead scoring (LEAD-2): each criterion maps a lead's value to 1–5 points; the score is
Σ weight% × points / 5, so a lead with 5 points everywhere scores 100.

The seeds' default model (section 3.2): industry 20%, company size 15%, visit frequency 25%,
expressed interest 40%.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from guanxi.leads.choices import CriterionKind, ScoreStage

MAX_POINTS = 5
BEHAVIOUR_FIELDS = ("visits", "email_opens", "email_clicks", "form_submissions")
SCALE_FIELDS = ("expressed_interest",)
VALUE_FIELDS = (
    "industry",
    "company_size",
    "source",
    "province",
    "city",
    "priority",
    "product_interest",
)
CUSTOM_PREFIX = "cf:"
CRITERION_KEYS = {"key", "label", "kind", "field", "weight", "points"}

FIELD_LABELS = {
    "industry": _lazy("Industry"),
    "company_size": _lazy("Company size"),
    "visits": _lazy("Visit frequency"),
    "expressed_interest": _lazy("Expressed interest"),
    "email_opens": _lazy("Email opens"),
    "email_clicks": _lazy("Email clicks"),
    "form_submissions": _lazy("Form submissions"),
    "source": _lazy("Source"),
    "province": _lazy("Province"),
    "city": _lazy("City"),
    "priority": _lazy("Priority"),
    "product_interest": _lazy("Product interest"),
}


def default_criteria() -> list[dict[str, Any]]:
    return [
        {
            "key": "industry",
            "label": "",
            "kind": CriterionKind.VALUE,
            "field": "industry",
            "weight": 20,
            "points": {
                "technology": 5,
                "finance": 5,
                "manufacturing": 4,
                "healthcare": 4,
                "energy": 4,
                "logistics": 3,
                "retail": 3,
                "real_estate": 3,
                "education": 2,
                "hospitality": 2,
                "government": 2,
                "*": 1,
            },
        },
        {
            "key": "company_size",
            "label": "",
            "kind": CriterionKind.VALUE,
            "field": "company_size",
            "weight": 15,
            "points": {"1-9": 1, "10-49": 2, "50-249": 3, "250-999": 4, "1000+": 5},
        },
        {
            "key": "visits",
            "label": "",
            "kind": CriterionKind.COUNT,
            "field": "visits",
            "weight": 25,
            # at least 0 visits → 1 point, 2 → 2, 5 → 3, 10 → 4, 20 → 5
            "points": [[0, 1], [2, 2], [5, 3], [10, 4], [20, 5]],
        },
        {
            "key": "expressed_interest",
            "label": "",
            "kind": CriterionKind.SCALE,
            "field": "expressed_interest",
            "weight": 40,
            "points": {},
        },
    ]


@dataclass(frozen=True)
class ScoreLine:
    """One row of "why 78": criterion, the lead's value, its points, the weight, the contribution."""

    key: str
    label: str
    value: str
    points: int
    weight: int
    contribution: str  # Decimal as text (JSON-safe), e.g. "16.00"


@dataclass(frozen=True)
class ScoreResult:
    score: int
    stage: str
    lines: list[ScoreLine]

    def breakdown(self) -> list[dict[str, Any]]:
        return [asdict(line) for line in self.lines]


def criterion_label(criterion: dict[str, Any]) -> str:
    field = criterion.get("field", "")
    return criterion.get("label") or str(FIELD_LABELS.get(field, field))


def lead_value(lead: Any, field: str) -> Any:
    if field.startswith(CUSTOM_PREFIX):
        return (lead.custom_fields or {}).get(field[len(CUSTOM_PREFIX) :])
    return getattr(lead, field, None)


def points_for(criterion: dict[str, Any], value: Any) -> int:
    """1–5 for a known value, 0 when the lead has no value for it (it adds nothing)."""
    kind = criterion["kind"]
    if value in (None, ""):
        return 0
    if kind == CriterionKind.SCALE:
        return max(0, min(MAX_POINTS, int(value)))
    if kind == CriterionKind.COUNT:
        reached = [points for minimum, points in criterion["points"] if int(value) >= minimum]
        return reached[-1] if reached else 0
    mapping = criterion["points"]
    return int(mapping.get(str(value), mapping.get("*", 0)))


def stage_for(score: int, *, mql: int, sql: int) -> str:
    if score >= sql:
        return ScoreStage.SQL
    if score >= mql:
        return ScoreStage.MQL
    return ScoreStage.NONE


def score_lead(lead: Any, *, criteria: list[dict[str, Any]], mql: int, sql: int) -> ScoreResult:
    lines = []
    total = Decimal(0)
    for criterion in criteria:
        value = lead_value(lead, criterion["field"])
        points = points_for(criterion, value)
        contribution = Decimal(criterion["weight"]) * points / MAX_POINTS
        total += contribution
        lines.append(
            ScoreLine(
                key=criterion["key"],
                label=criterion_label(criterion),
                value="" if value is None else str(value),
                points=points,
                weight=int(criterion["weight"]),
                contribution=str(contribution.quantize(Decimal("0.01"))),
            )
        )
    score = int(min(Decimal(100), total).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    return ScoreResult(score, stage_for(score, mql=mql, sql=sql), lines)


def scoring_input_fields(criteria: list[dict[str, Any]]) -> set[str]:
    """The lead fields a change of which changes the score."""
    fields = {criterion["field"] for criterion in criteria}
    return {"custom_fields" if f.startswith(CUSTOM_PREFIX) else f for f in fields}


def criteria_errors(criteria: Any) -> dict[str, list[str]]:
    """Shape checks for a scoring model's criteria; weights must add up to 100."""
    if not isinstance(criteria, list) or not criteria or len(criteria) > 20:
        return {"criteria": [_("Give between 1 and 20 criteria.")]}
    total = 0
    for criterion in criteria:
        if not isinstance(criterion, dict) or set(criterion) != CRITERION_KEYS:
            return {"criteria": [_("Each criterion needs a key, kind, field, weight and points.")]}
        field, kind, weight = criterion["field"], criterion["kind"], criterion["weight"]
        allowed = {
            CriterionKind.VALUE: VALUE_FIELDS,
            CriterionKind.COUNT: BEHAVIOUR_FIELDS,
            CriterionKind.SCALE: SCALE_FIELDS,
        }.get(kind)
        if allowed is None or not (
            field in allowed or (kind == CriterionKind.VALUE and field.startswith(CUSTOM_PREFIX))
        ):
            return {"criteria": [_("“%(field)s” cannot be scored that way.") % {"field": field}]}
        if not isinstance(weight, int) or isinstance(weight, bool) or not 0 <= weight <= 100:
            return {"criteria": [_("Weights are whole percentages from 0 to 100.")]}
        if not _points_valid(kind, criterion["points"]):
            return {"criteria": [_("Points are whole numbers from 1 to 5.")]}
        total += weight
    if total != 100:
        return {
            "criteria": [
                _("The weights add up to %(total)s%%; they must add up to 100%%.")
                % {"total": total}
            ]
        }
    return {}


def _is_points(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= MAX_POINTS


def _points_valid(kind: str, points: Any) -> bool:
    if kind == CriterionKind.SCALE:
        return points in ({}, [], None)
    if kind == CriterionKind.COUNT:
        return (
            isinstance(points, list)
            and all(
                isinstance(pair, list)
                and len(pair) == 2
                and isinstance(pair[0], int)
                and pair[0] >= 0
                and _is_points(pair[1])
                for pair in points
            )
            and [pair[0] for pair in points] == sorted({pair[0] for pair in points})
        )
    return isinstance(points, dict) and all(
        isinstance(key, str) and _is_points(value) for key, value in points.items()
    )
