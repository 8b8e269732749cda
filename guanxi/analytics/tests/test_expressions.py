"""The reports' own SQL expressions, on whichever database the suite runs against."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db.models import Sum

from guanxi.analytics.expressions import Cents, EpochSeconds
from guanxi.analytics.tests.factories import bulk_deals, seed_pipeline
from guanxi.opportunities.models import Opportunity

UTC = datetime.UTC


@pytest.mark.django_db
def test_epoch_seconds_are_whole_seconds_since_1970_utc(admin) -> None:
    # given a deal closed at a moment with microseconds, given in another time zone
    _pipeline, stages = seed_pipeline(admin.workspace)
    deal = bulk_deals(admin.workspace, stages, furthest=[5])[0]
    closed_at = datetime.datetime(2026, 3, 1, 16, 30, 15, 250_000, tzinfo=UTC)
    created_at = datetime.datetime(2026, 1, 30, 8, 0, tzinfo=UTC)
    Opportunity.objects.filter(pk=deal.pk).update(closed_at=closed_at, created_at=created_at)
    # when
    row = Opportunity.objects.filter(pk=deal.pk).values(
        closed=EpochSeconds("closed_at"),
        taken=EpochSeconds("closed_at") - EpochSeconds("created_at"),
    )[0]
    # then the database gives the same whole seconds as Python
    assert row["closed"] == int(closed_at.timestamp()) == 1_772_382_615
    assert row["taken"] == 30 * 86400 + 8 * 3600 + 30 * 60 + 15


@pytest.mark.django_db
def test_epoch_seconds_of_null_is_null(admin) -> None:
    _pipeline, stages = seed_pipeline(admin.workspace)
    deal = bulk_deals(admin.workspace, stages, furthest=[0])[0]
    row = Opportunity.objects.filter(pk=deal.pk).values(closed=EpochSeconds("closed_at"))[0]
    assert row["closed"] is None


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("amounts", "cents"),
    [
        pytest.param(["0.10"] * 10, 100, id="ten-dimes"),
        pytest.param(["1234.55", "0.01"], 123_456, id="float-unfriendly"),
        pytest.param(["999999999999.99"], 99_999_999_999_999, id="largest-amount"),
        pytest.param(["0.00"], 0, id="zero"),
    ],
)
def test_cents_add_up_exactly(admin, amounts, cents) -> None:
    _pipeline, stages = seed_pipeline(admin.workspace)
    for amount in amounts:
        bulk_deals(admin.workspace, stages, furthest=[0], amount=Decimal(amount))
    total = Opportunity.objects.aggregate(cents=Sum(Cents("amount")))["cents"]
    assert total == cents
