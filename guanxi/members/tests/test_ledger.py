"""The points ledger: redeem and adjust rules, first-in-first-out lots, expiry, and the
invariant balance == Σ entries == Σ unspent lots under random sequences."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from guanxi.contacts.tests.factories import ContactFactory
from guanxi.core.errors import ApplicationError
from guanxi.members.choices import MemberStatus, PointsKind, TransactionKind
from guanxi.members.ledger import add_months, points_adjust, points_expire_due, points_redeem
from guanxi.members.models import Member, PointsEntry
from guanxi.members.services import member_enrol, transaction_record
from guanxi.members.tasks import loyalty_daily_upkeep
from guanxi.workspaces.tests.factories import WorkspaceFactory

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


def enrol(workspace) -> Member:
    return member_enrol(
        workspace=workspace, contact=ContactFactory(workspace=workspace), actor=None
    )


def buy(member, amount, *, on=TODAY, kind=TransactionKind.PURCHASE):
    transaction_record(
        workspace=member.workspace,
        member=member,
        actor=None,
        kind=kind,
        amount=Decimal(amount),
        occurred_on=on,
    )


def assert_ledger_consistent(member: Member) -> None:
    member.refresh_from_db()
    entries = PointsEntry.objects.filter(member=member)
    assert member.points_balance == sum(e.points for e in entries)
    assert member.points_balance == sum(e.remaining for e in entries)
    assert member.points_balance >= 0


def test_redeeming_more_than_the_balance_is_refused(workspace):
    member = enrol(workspace)
    buy(member, "50")
    with pytest.raises(ApplicationError) as error:
        points_redeem(member=member, actor=None, points=51)
    assert error.value.code == "insufficient_points"
    assert_ledger_consistent(member)
    assert member.points_balance == 50


@pytest.mark.parametrize("points", [0, -5, 1.5, "10", True], ids=str)
def test_redeem_takes_a_positive_whole_number(workspace, points):
    member = enrol(workspace)
    buy(member, "50")
    with pytest.raises(ApplicationError):
        points_redeem(member=member, actor=None, points=points)
    assert_ledger_consistent(member)
    assert member.points_balance == 50


def test_a_frozen_member_cannot_redeem(workspace):
    member = enrol(workspace)
    buy(member, "50")
    Member.objects.filter(pk=member.pk).update(status=MemberStatus.FROZEN)
    with pytest.raises(ApplicationError):
        points_redeem(member=member, actor=None, points=1)


def test_redeeming_spends_the_soonest_expiring_lot_first(workspace):
    member = enrol(workspace)
    buy(member, "30", on=add_months(TODAY, -6))
    buy(member, "20", on=TODAY)
    points_redeem(member=member, actor=None, points=40, note="礼品")
    lots = list(PointsEntry.objects.filter(kind=PointsKind.EARN).order_by("expires_on"))
    assert [lot.remaining for lot in lots] == [0, 10]
    assert_ledger_consistent(member)


def test_adjust_needs_a_reason_and_cannot_go_below_zero(workspace):
    member = enrol(workspace)
    with pytest.raises(ApplicationError):
        points_adjust(member=member, actor=None, points=10, note=" ")
    points_adjust(member=member, actor=None, points=10, note="补偿")
    with pytest.raises(ApplicationError):
        points_adjust(member=member, actor=None, points=-11, note="纠错")
    points_adjust(member=member, actor=None, points=-10, note="纠错")
    assert_ledger_consistent(member)
    assert member.points_balance == 0


def test_expiry_takes_only_unspent_points_of_due_lots_and_is_idempotent(workspace):
    # given an old lot partly spent and a fresh lot
    member = enrol(workspace)
    buy(member, "100", on=add_months(TODAY, -13))
    buy(member, "40", on=TODAY)
    points_redeem(member=member, actor=None, points=30)
    # when the job runs twice
    assert points_expire_due(today=TODAY) == 70
    assert points_expire_due(today=TODAY) == 0
    # then only the old lot's 70 unspent points expired, once
    member.refresh_from_db()
    assert member.points_balance == 40
    assert PointsEntry.objects.filter(kind=PointsKind.EXPIRE).count() == 1
    assert_ledger_consistent(member)


def test_the_daily_job_runs_and_is_idempotent(workspace):
    member = enrol(workspace)
    buy(member, "100", on=add_months(TODAY, -12))
    loyalty_daily_upkeep()
    loyalty_daily_upkeep()
    member.refresh_from_db()
    assert (member.points_balance, member.purchases_12m) == (0, 0)
    assert PointsEntry.objects.filter(kind=PointsKind.EXPIRE).count() == 1


def test_expiry_is_per_workspace_and_member(workspace, other_workspace):
    mine, theirs = enrol(workspace), enrol(other_workspace)
    buy(mine, "10", on=add_months(TODAY, -13))
    buy(theirs, "20", on=TODAY)
    points_expire_due(today=TODAY)
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert (mine.points_balance, theirs.points_balance) == (0, 20)


OPERATIONS = st.lists(
    st.one_of(
        st.tuples(st.just("purchase"), st.integers(0, 3000), st.integers(0, 24)),
        st.tuples(st.just("return"), st.integers(0, 3000), st.integers(0, 24)),
        st.tuples(st.just("redeem"), st.integers(1, 3000), st.just(0)),
        st.tuples(st.just("adjust"), st.integers(-500, 500).filter(bool), st.just(0)),
        st.tuples(st.just("expire"), st.integers(0, 30), st.just(0)),
    ),
    max_size=15,
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(operations=OPERATIONS)
def test_the_balance_always_equals_the_sum_of_the_ledger(db, operations):
    member = enrol(WorkspaceFactory())
    for name, value, months_ago in operations:
        try:
            if name in ("purchase", "return"):
                buy(member, f"{value}.50", on=add_months(TODAY, -months_ago), kind=name)
            elif name == "redeem":
                points_redeem(member=member, actor=None, points=value)
            elif name == "adjust":
                points_adjust(member=member, actor=None, points=value, note="test")
            else:
                points_expire_due(today=add_months(TODAY, value))
        except ApplicationError:
            pass  # a refused redeem or adjust changes nothing
        assert_ledger_consistent(member)
