"""Concurrent enrolments and duplicate transactions on PostgreSQL (SQLite serialises writers,
so these only prove something on a server database; skipped elsewhere)."""

from __future__ import annotations

import datetime
import threading
from decimal import Decimal

import pytest
from django.db import close_old_connections, connection

from guanxi.contacts.tests.factories import ContactFactory
from guanxi.members.models import Member, Transaction
from guanxi.members.services import IdempotencyConflict, member_enrol, transaction_record

THREADS = 8

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL (GUANXI_DATABASE_URL)"
    ),
]


def run_together(work, count: int = THREADS) -> list:
    """Start `count` threads that call work(i) at the same moment; their results or errors."""
    barrier = threading.Barrier(count)
    results: list = [None] * count

    def worker(index: int) -> None:
        try:
            barrier.wait()
            results[index] = work(index)
        except Exception as exc:  # the test inspects it
            results[index] = exc
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


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
