"""The kanban board's reads: per-column totals in one aggregate query, cards a page at a time."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, DecimalField, ExpressionWrapper, F, QuerySet, Sum

from guanxi.opportunities.models import Opportunity, Stage

CARDS_PER_PAGE = 50
CENT = Decimal("0.01")


@dataclass(frozen=True)
class ColumnTotals:
    count: int = 0
    amount: Decimal = Decimal("0.00")
    weighted: Decimal = Decimal("0.00")


def column_totals(deals: QuerySet[Opportunity], stages: list[Stage]) -> dict[str, ColumnTotals]:
    """Count, Σ amount and Σ amount × probability / 100 for each stage (by stage id as str).

    One GROUP BY query; Σ(amount × probability) is exact to the cent, the division by 100 is
    done here in Decimal so the weighted total is rounded once, not per row.
    """
    rows = (
        deals.filter(stage__in=[stage.pk for stage in stages])
        .order_by()
        .values("stage_id")
        .annotate(
            # stage_id is in the covering index; the UUID primary key is not
            count=Count("stage_id"),
            amount_sum=Sum("amount"),
            weighted_sum=Sum(
                ExpressionWrapper(
                    F("amount") * F("probability"),
                    output_field=DecimalField(max_digits=20, decimal_places=2),
                )
            ),
        )
    )
    totals = {str(stage.pk): ColumnTotals() for stage in stages}
    for row in rows:
        totals[str(row["stage_id"])] = ColumnTotals(
            count=row["count"],
            amount=Decimal(row["amount_sum"] or 0).quantize(CENT),
            weighted=(Decimal(row["weighted_sum"] or 0) / 100).quantize(
                CENT, rounding=ROUND_HALF_UP
            ),
        )
    return totals


def column_cards(
    deals: QuerySet[Opportunity], stage: Stage, *, before: str | None = None
) -> tuple[list[Opportunity], str | None]:
    """One page of a column's cards, newest first, and the cursor of the next page (or None)."""
    cards = deals.filter(stage=stage).select_related(None).select_related("company", "owner")
    if before:
        cards = cards.filter(pk__lt=before)
    page = list(cards.order_by("-id")[: CARDS_PER_PAGE + 1])
    more = len(page) > CARDS_PER_PAGE
    page = page[:CARDS_PER_PAGE]
    for card in page:
        card.stage = stage  # the badge reads the stage's stagnation setting
    return page, (str(page[-1].pk) if more else None)
