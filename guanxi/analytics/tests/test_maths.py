"""The report formulas on the seeds' figures (3.2.2)."""

from decimal import Decimal

import pytest

from guanxi.analytics.maths import conversion_rates, days, efficiency_index, from_cents, percent
from guanxi.analytics.tests.factories import SEED_CONVERSIONS, SEED_EFFICIENCY, SEED_FUNNEL


def test_seed_funnel_conversions_are_exact() -> None:
    # given the seeds' stage counts
    counts = [count for _name, count, _p, _k in SEED_FUNNEL]
    # when / then
    assert conversion_rates(counts) == SEED_CONVERSIONS
    assert [str(rate) for rate in conversion_rates(counts)] == [
        "90.0",
        "80.0",
        "66.7",
        "66.7",
        "75.0",
    ]


def test_a_stage_without_deals_has_no_conversion_instead_of_a_division_error() -> None:
    assert conversion_rates([10, 0, 0]) == [Decimal("0.0"), None]
    assert conversion_rates([]) == []
    assert conversion_rates([5]) == []


@pytest.mark.parametrize(("name", "total", "won", "_days", "index"), SEED_EFFICIENCY)
def test_seed_efficiency_index(name, total, won, _days, index) -> None:
    assert efficiency_index(won, total) == index


def test_efficiency_index_of_nothing_is_none() -> None:
    assert efficiency_index(0, 0) is None


def test_percent_rounds_half_up_to_one_decimal() -> None:
    assert percent(1, 3) == Decimal("33.3")
    assert percent(2, 3) == Decimal("66.7")
    assert percent(1, 8) == Decimal("12.5")
    assert percent(1, 16) == Decimal("6.3")  # 6.25 → 6.3, not banker's 6.2
    assert percent(5, 0) is None


def test_cents_back_to_yuan_is_exact() -> None:
    assert from_cents(123456) == Decimal("1234.56")
    assert from_cents(None) == Decimal("0.00")
    # weighted sums are cents × percent: 1,234.55 × 50 % = 617.275 → 617.28 (half up)
    assert from_cents(123455 * 50, scale=10_000) == Decimal("617.28")
    assert from_cents(99_999_999_999_999 * 100, scale=10_000) == Decimal("999999999999.99")


def test_days_are_rounded_to_one_decimal() -> None:
    assert days(30.0) == Decimal("30.0")
    assert days(24.96) == Decimal("25.0")
    assert days(None) is None
