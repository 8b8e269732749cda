"""Member services: enrolment and numbering, transactions moving totals, levels and points,
idempotency, hostile amounts and items, merging memberships."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from guanxi.contacts.tests.factories import ContactFactory
from guanxi.members.choices import Level, PointsKind, TransactionKind
from guanxi.members.ledger import add_months
from guanxi.members.merge import members_merge
from guanxi.members.models import LevelChange, Member, PointsEntry, Transaction
from guanxi.members.selectors import loyalty_settings_of
from guanxi.members.services import (
    IdempotencyConflict,
    loyalty_settings_update,
    member_enrol,
    member_recompute,
    members_refresh_purchases_12m,
    transaction_record,
    transaction_record_once,
)

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


def enrol(workspace, **fields) -> Member:
    return member_enrol(
        workspace=workspace, contact=ContactFactory(workspace=workspace), actor=None, **fields
    )


def record(member, amount, kind=TransactionKind.PURCHASE, **kwargs):
    return transaction_record(
        workspace=member.workspace,
        member=member,
        actor=None,
        kind=kind,
        amount=amount,
        occurred_on=kwargs.pop("occurred_on", TODAY),
        **kwargs,
    )


# --- enrolment and member numbers ----------------------------------------------------------
def test_member_numbers_are_prefixed_padded_and_sequential_per_workspace(
    workspace, other_workspace
):
    # given members enrolled in two workspaces
    first, second = enrol(workspace), enrol(workspace)
    elsewhere = enrol(other_workspace)
    # then each workspace counts on its own, padded to 8 digits
    assert [first.member_number, second.member_number] == ["VIP00000001", "VIP00000002"]
    assert elsewhere.member_number == "VIP00000001"


def test_numbers_follow_the_settings_and_skip_numbers_taken_by_hand(workspace):
    loyalty_settings_update(
        workspace=workspace, actor=None, data={"number_prefix": "M", "number_width": 4}
    )
    enrol(workspace, member_number="M0001")  # e.g. an imported member
    assert enrol(workspace).member_number == "M0002"


def test_a_new_member_starts_at_zero_with_its_tags(workspace):
    member = enrol(workspace, interest_tags=["电子产品", "运动户外"])
    assert (member.level, member.points_balance, member.total_consumption) == (
        Level.NORMAL,
        0,
        Decimal("0"),
    )
    assert sorted(t.name for t in member.interest_tags.all()) == ["电子产品", "运动户外"]


def test_a_contact_is_enrolled_once(workspace):
    member = enrol(workspace)
    with pytest.raises(ValidationError) as error:
        member_enrol(workspace=workspace, contact=member.contact, actor=None)
    assert member.member_number in str(error.value.message_dict["contact"])
    assert Member.objects.count() == 1


def test_another_workspaces_contact_cannot_be_enrolled(workspace, other_workspace):
    foreign = ContactFactory(workspace=other_workspace)
    with pytest.raises(ValidationError):
        member_enrol(workspace=workspace, contact=foreign, actor=None)
    assert not Member.objects.exists()


def test_a_duplicate_hand_typed_number_is_refused(workspace):
    enrol(workspace, member_number="VIP1")
    with pytest.raises(ValidationError):
        enrol(workspace, member_number="VIP1")


# --- levels ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("amount", "level"),
    [
        ("999.99", Level.NORMAL),
        ("1000.00", Level.VIP),
        ("4999.99", Level.VIP),
        ("5000.00", Level.SVIP),
    ],
    ids=["999.99", "1000.00", "4999.99", "5000.00"],
)
def test_level_boundaries_are_exact(workspace, amount, level):
    member = enrol(workspace)
    record(member, Decimal(amount))
    member.refresh_from_db()
    assert member.level == level


def test_a_return_lowers_the_level_and_writes_level_changes(workspace):
    member = enrol(workspace)
    purchase = record(member, Decimal("5000.00"))
    refund = record(member, Decimal("0.01"), kind=TransactionKind.RETURN)
    member.refresh_from_db()
    assert member.level == Level.VIP
    assert member.total_consumption == Decimal("4999.99")
    changes = list(LevelChange.objects.order_by("at", "id"))
    assert [(c.from_level, c.to_level, c.transaction_id) for c in changes] == [
        (Level.NORMAL, Level.SVIP, purchase.pk),
        (Level.SVIP, Level.VIP, refund.pk),
    ]


def test_spend_never_goes_below_zero(workspace):
    member = enrol(workspace)
    record(member, Decimal("100.00"))
    record(member, Decimal("500.00"), kind=TransactionKind.RETURN)
    member.refresh_from_db()
    assert member.total_consumption == Decimal("0.00")


def test_changed_thresholds_apply_from_the_next_transaction(workspace):
    member = enrol(workspace)
    record(member, Decimal("800.00"))
    loyalty_settings_update(workspace=workspace, actor=None, data={"vip_threshold": Decimal(500)})
    record(member, Decimal("0.00"))
    member.refresh_from_db()
    assert member.level == Level.VIP


def test_vip_threshold_must_be_below_svip(workspace):
    with pytest.raises(ValidationError) as error:
        loyalty_settings_update(
            workspace=workspace, actor=None, data={"vip_threshold": Decimal("5000.00")}
        )
    assert "svip_threshold" in error.value.message_dict
    assert loyalty_settings_of(workspace).vip_threshold == Decimal("1000.00")


# --- recency and frequency -------------------------------------------------------------------
def test_last_purchase_and_purchases_in_12_months(workspace):
    member = enrol(workspace)
    record(member, Decimal("10"), occurred_on=add_months(TODAY, -13))
    record(member, Decimal("10"), occurred_on=add_months(TODAY, -2))
    record(member, Decimal("10"), occurred_on=add_months(TODAY, -5))  # back-dated
    record(member, Decimal("5"), kind=TransactionKind.RETURN)  # returns are not purchases
    member.refresh_from_db()
    assert member.last_purchase_at == add_months(TODAY, -2)
    assert member.purchases_12m == 2


def test_purchases_12m_is_recounted_as_time_passes(workspace):
    member = enrol(workspace)
    record(member, Decimal("10"), occurred_on=add_months(TODAY, -11))
    record(member, Decimal("10"), occurred_on=TODAY)
    members_refresh_purchases_12m(today=add_months(TODAY, 2))
    member.refresh_from_db()
    assert member.purchases_12m == 1


# --- points ----------------------------------------------------------------------------------
def test_a_purchase_earns_points_that_expire_after_the_configured_months(workspace):
    member = enrol(workspace)
    purchase = record(member, Decimal("123.99"))
    entry = PointsEntry.objects.get()
    assert (entry.kind, entry.points, entry.remaining, entry.transaction_id) == (
        PointsKind.EARN,
        123,
        123,
        purchase.pk,
    )
    assert entry.expires_on == add_months(TODAY, 12)
    assert purchase.member.points_balance == 123


def test_a_return_claws_back_points_up_to_the_balance(workspace):
    member = enrol(workspace)
    record(member, Decimal("100.00"))
    record(member, Decimal("300.00"), kind=TransactionKind.RETURN)
    member.refresh_from_db()
    assert member.points_balance == 0
    assert list(PointsEntry.objects.order_by("id").values_list("kind", "points")) == [
        (PointsKind.EARN, 100),
        (PointsKind.CLAWBACK, -100),
    ]


def test_the_points_rate_is_a_setting(workspace):
    loyalty_settings_update(
        workspace=workspace, actor=None, data={"points_per_unit": Decimal("2.50")}
    )
    member = enrol(workspace)
    assert record(member, Decimal("10.99")).member.points_balance == 27


# --- hostile amounts and items ---------------------------------------------------------------
@pytest.mark.parametrize(
    "amount",
    ["-1", "1.001", "abc", "1e20", "NaN", "Infinity", "", 1e20, float("nan"), True, None],
    ids=[
        "negative",
        "3-decimals",
        "text",
        "1e20",
        "nan",
        "infinity",
        "empty",
        "float-1e20",
        "float-nan",
        "bool",
        "none",
    ],
)
def test_hostile_amounts_are_refused_and_nothing_changes(workspace, amount):
    member = enrol(workspace)
    with pytest.raises(ValidationError) as error:
        record(member, amount)
    assert "amount" in error.value.message_dict
    member.refresh_from_db()
    assert (member.total_consumption, member.points_balance) == (Decimal("0"), 0)
    assert not Transaction.objects.exists()
    assert not PointsEntry.objects.exists()


def test_the_largest_amount_is_accepted(workspace):
    member = enrol(workspace)
    record(member, Decimal("99999999999.99"))
    member.refresh_from_db()
    assert member.total_consumption == Decimal("99999999999.99")
    assert member.level == Level.SVIP


@pytest.mark.parametrize(
    "items",
    [
        "not a list",
        [{"name": "", "qty": 1, "price": "1"}],
        [{"name": "茶", "qty": 0, "price": "1"}],
        [{"name": "茶", "qty": 1, "price": "1.001"}],
        [{"name": "茶", "qty": 1, "price": "-1"}],
        [{"name": "茶", "qty": 1, "price": "NaN"}],
        [{"name": "茶", "qty": 1.5, "price": "1"}],
        [{"name": "茶", "qty": 1, "price": "1", "evil": "<script>"}],
        [{"name": "茶", "qty": 1, "price": "1"}] * 201,
    ],
    ids=[
        "text",
        "no-name",
        "qty-0",
        "price-decimals",
        "price-negative",
        "price-nan",
        "qty-float",
        "extra-key",
        "too-many",
    ],
)
def test_bad_items_are_refused(workspace, items):
    member = enrol(workspace)
    with pytest.raises(ValidationError) as error:
        record(member, Decimal("1"), items=items)
    assert "items" in error.value.message_dict
    assert not Transaction.objects.exists()


def test_items_are_stored_normalised(workspace):
    member = enrol(workspace)
    txn = record(
        member, Decimal("25"), items=[{"sku": " A1 ", "name": "<b>茶</b>", "qty": 2, "price": 12.5}]
    )
    txn.refresh_from_db()
    assert txn.items == [{"sku": "A1", "name": "<b>茶</b>", "qty": 2, "price": "12.50"}]


def test_a_future_date_is_refused(workspace):
    member = enrol(workspace)
    with pytest.raises(ValidationError) as error:
        record(member, Decimal("1"), occurred_on=TODAY + datetime.timedelta(days=3))
    assert "occurred_on" in error.value.message_dict


# --- idempotency -----------------------------------------------------------------------------
def test_the_same_key_and_body_records_once(workspace):
    member = enrol(workspace)
    first, created = transaction_record_once(
        workspace=workspace,
        member=member,
        actor=None,
        kind="purchase",
        amount="10.5",
        occurred_on=TODAY,
        idempotency_key="k-1",
    )
    again, created_again = transaction_record_once(
        workspace=workspace,
        member=member,
        actor=None,
        kind="purchase",
        amount=Decimal("10.50"),
        occurred_on=TODAY,
        idempotency_key="k-1",
    )
    assert (created, created_again, again.pk) == (True, False, first.pk)
    member.refresh_from_db()
    assert (member.total_consumption, member.points_balance) == (Decimal("10.50"), 10)


def test_the_same_key_with_another_body_is_a_conflict(workspace):
    member = enrol(workspace)
    record(member, Decimal("10"), idempotency_key="k-1")
    with pytest.raises(IdempotencyConflict):
        record(member, Decimal("11"), idempotency_key="k-1")
    with pytest.raises(IdempotencyConflict):
        record(enrol(workspace), Decimal("10"), idempotency_key="k-1")
    assert Transaction.objects.count() == 1


def test_keys_are_independent_per_workspace(workspace, other_workspace):
    record(enrol(workspace), Decimal("10"), idempotency_key="k-1")
    record(enrol(other_workspace), Decimal("20"), idempotency_key="k-1")
    assert Transaction.objects.count() == 2


# --- merging memberships -----------------------------------------------------------------------
def test_merging_two_members_moves_everything_to_the_survivor(workspace):
    # given two members of the same person
    kept, gone = enrol(workspace, interest_tags=["茶"]), enrol(workspace, interest_tags=["酒"])
    record(kept, Decimal("600.00"))
    record(gone, Decimal("500.00"))
    # when their contacts are merged
    members_merge(kept.contact, gone.contact, None)
    # then one member holds both histories, recomputed
    assert not Member.objects.filter(pk=gone.pk).exists()
    kept.refresh_from_db()
    assert Transaction.objects.filter(member=kept).count() == 2
    assert (kept.total_consumption, kept.level, kept.points_balance) == (
        Decimal("1100.00"),
        Level.VIP,
        1100,
    )
    assert sorted(t.name for t in kept.interest_tags.all()) == ["茶", "酒"]
    assert LevelChange.objects.filter(member=kept, to_level=Level.VIP).exists()


def test_merging_moves_a_membership_to_a_survivor_without_one(workspace):
    gone = enrol(workspace)
    survivor = ContactFactory(workspace=workspace)
    members_merge(survivor, gone.contact, None)
    gone.refresh_from_db()
    assert gone.contact_id == survivor.pk


def test_recompute_replays_spend_in_recording_order(workspace):
    member = enrol(workspace)
    record(member, Decimal("100"))
    record(member, Decimal("300"), kind=TransactionKind.RETURN)
    record(member, Decimal("50"))
    member_recompute(member)
    member.refresh_from_db()
    assert member.total_consumption == Decimal("50.00")


def test_the_merge_handler_is_registered():
    from guanxi.quality.merge import merge_handler_for

    assert merge_handler_for(Member) is members_merge
