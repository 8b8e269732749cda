"""The report formulas on already-aggregated figures (seeds 3.2.2): no queries, no rounding surprises.

Percentages round half up to one decimal (66.666… → 66.7), indexes to two (0.333… → 0.33).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal

ONE_DECIMAL = Decimal("0.1")
TWO_DECIMALS = Decimal("0.01")
CENT = Decimal("0.01")


def percent(part: int | Decimal, whole: int | Decimal) -> Decimal | None:
    """part / whole × 100, one decimal; None when there is no whole to divide by."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)


def conversion_rates(counts: Sequence[int]) -> list[Decimal | None]:
    """Stage-to-stage conversion: counts[i] / counts[i-1] for each stage after the first.

    1000 → 900 → 720 → 480 → 320 → 240 gives 90.0, 80.0, 66.7, 66.7, 75.0.
    """
    return [percent(counts[i], counts[i - 1]) for i in range(1, len(counts))]


def efficiency_index(won: int, total: int) -> Decimal | None:
    """Won / total opportunities, two decimals (seeds: 45 / 150 = 0.30)."""
    if not total:
        return None
    return (Decimal(won) / Decimal(total)).quantize(TWO_DECIMALS, rounding=ROUND_HALF_UP)


def from_cents(cents: int | None, *, scale: int = 100) -> Decimal:
    """Money summed as whole cents in SQL (exact on every database) back to yuan.

    Weighted sums are cents × percent, hence scale 10,000; they are rounded to the cent.
    """
    value = Decimal(cents or 0) / Decimal(scale)
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def days(value: float | Decimal | None) -> Decimal | None:
    """An average number of days, one decimal."""
    if value is None:
        return None
    return Decimal(str(value)).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)
