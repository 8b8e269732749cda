"""Concurrent enrolments and duplicate transactions on PostgreSQL (SQLite serialises writers,
so these only prove something on a server database; skipped elsewhere)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from functools import partial

from guanxi.contacts.tests.factories import ContactFactory
from guanxi.core.testing_threads import POSTGRES_THREADS
from guanxi.core.testing_threads import run_together as run_threads
from guanxi.members.models import Member, Transaction
from guanxi.members.services import IdempotencyConflict, member_enrol, transaction_record

THREADS = 8

pytestmark = POSTGRES_THREADS

# every test starts THREADS threads at once
run_together = partial(run_threads, count=THREADS)


def test_concurrent_enrolments_get_distinct_consecutive_numbers(workspace):
    contacts = [ContactFactory(workspace=workspace) for _ in range(THREADS)]
    results = run_together(
        lambda i: member_enrol(workspace=workspace, contact=contacts[i], actor=None).member_number
    )
    assert sorted(results) == [f"VIP{n:08d}" for n in range(1, THREADS + 1)]
    assert Member.objects.count() == THREADS


def test_concurrent_duplicates_with_one_key_count_once(workspace):
    member = member_enrol(
        workspace=workspace, contact=ContactFactory(workspace=workspace), actor=None
    )

    def record(_index: int):
        return transaction_record(
            workspace=workspace,
            member=member,
            actor=None,
            kind="purchase",
            amount=Decimal("1000.00"),
            occurred_on=datetime.date.today(),
            idempotency_key="same-key",
        ).pk

    results = run_together(record)
    assert len(set(results)) == 1, results
    member.refresh_from_db()
    assert (Transaction.objects.count(), member.total_consumption, member.points_balance) == (
        1,
        Decimal("1000.00"),
        1000,
    )


def test_concurrent_purchases_all_count(workspace):
    member = member_enrol(
        workspace=workspace, contact=ContactFactory(workspace=workspace), actor=None
    )
    run_together(
        lambda i: transaction_record(
            workspace=workspace,
            member=member,
            actor=None,
            kind="purchase",
            amount=Decimal("125.00"),
            occurred_on=datetime.date.today(),
        )
    )
    member.refresh_from_db()
    assert (member.total_consumption, member.points_balance, member.level) == (
        Decimal("1000.00"),
        1000,
        "vip",
    )


def test_one_key_for_two_members_at_once_records_one(workspace):
    members = [
        member_enrol(workspace=workspace, contact=ContactFactory(workspace=workspace), actor=None)
        for _ in range(2)
    ]
    results = run_together(
        lambda i: transaction_record(
            workspace=workspace,
            member=members[i],
            actor=None,
            kind="purchase",
            amount=Decimal("10.00"),
            occurred_on=datetime.date.today(),
            idempotency_key="k",
        ),
        count=2,
    )
    assert sum(isinstance(r, IdempotencyConflict) for r in results) == 1
    assert Transaction.objects.count() == 1
