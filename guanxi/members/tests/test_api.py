"""The members API: the shared API cases for members, transactions with Idempotency-Key,
hostile amounts, the ledger and redeem actions, filters and visibility."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from guanxi.contacts.tests.factories import ContactFactory
from guanxi.core.services import tags_by_name
from guanxi.core.testing import APIViewTestCases, row_state
from guanxi.members.models import Member, PointsEntry, Transaction
from guanxi.members.services import member_enrol, transaction_record
from guanxi.members.tests.factories import MemberFactory
from guanxi.workspaces.choices import Role

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()
TRANSACTIONS = "/api/v1/transactions/"
MEMBERS = "/api/v1/members/"


def enrol(workspace, **contact) -> Member:
    return member_enrol(
        workspace=workspace, contact=ContactFactory(workspace=workspace, **contact), actor=None
    )


class TestMemberAPI(APIViewTestCases):
    basename = "member"
    model = Member

    @pytest.fixture(autouse=True)
    def _workspace(self, workspace):
        # create payloads name a contact of the test's workspace
        self.workspace = workspace

    def make(self, workspace, **kwargs):
        owner = kwargs.pop("owner", None)
        contact = ContactFactory(workspace=workspace, owner=owner)
        return MemberFactory(workspace=workspace, contact=contact, **kwargs)

    def make_rich(self, workspace, *, owner):
        member = self.make(workspace, owner=owner)
        member.interest_tags.set(tags_by_name(workspace=workspace, names=["茶", "运动户外"]))
        return member

    def create_payload(self):
        contact = ContactFactory(workspace=self.workspace)
        return {"contact": str(contact.pk), "interest_tags": ["茶"], "status": "active"}

    def update_payload(self):
        return {"status": "frozen"}

    # a member's owner is its contact's owner (the shared test expects the creator)
    def test_create_stores_the_row_in_the_callers_workspace(self, admin, api_client) -> None:
        payload = self.create_payload()
        response = api_client(admin).post(self.list_url(), payload, format="json")
        assert response.status_code == 201, response.json()
        created = Member.objects.get(pk=response.json()["id"])
        assert created.workspace_id == admin.workspace_id
        assert str(created.contact_id) == payload["contact"]
        assert created.member_number == "VIP00000001"
        assert response["ETag"] == created.etag

    def test_put_replaces_the_row(self, admin, api_client) -> None:
        obj = self.make(admin.workspace)
        payload = {"status": "frozen", "joined_at": "2024-03-15", "interest_tags": ["酒"]}
        response = api_client(admin).put(self.detail_url(obj), payload, format="json")
        assert response.status_code == 200, response.json()
        obj.refresh_from_db()
        assert (obj.status, obj.joined_at.isoformat()) == ("frozen", "2024-03-15")
        assert [t.name for t in obj.interest_tags.all()] == ["酒"]


def test_level_points_and_totals_cannot_be_written(admin, api_client):
    member = enrol(admin.workspace)
    response = api_client(admin).patch(
        f"{MEMBERS}{member.pk}/",
        {"level": "svip", "points_balance": 10**6, "total_consumption": "9999"},
        format="json",
    )
    assert response.status_code == 200
    member.refresh_from_db()
    assert (member.level, member.points_balance, member.total_consumption) == (
        "normal",
        0,
        Decimal("0"),
    )


def test_enrolling_an_enrolled_contact_is_a_400(admin, api_client):
    member = enrol(admin.workspace)
    response = api_client(admin).post(MEMBERS, {"contact": str(member.contact_id)}, format="json")
    assert response.status_code == 400
    assert "contact" in response.json()["error"]["fields"]


def test_sales_may_not_enrol_someone_elses_contact(member, api_client):
    seller = member(Role.SALES)
    other = ContactFactory(workspace=seller.workspace, owner=member(Role.SALES).user)
    response = api_client(seller).post(MEMBERS, {"contact": str(other.pk)}, format="json")
    assert response.status_code == 400
    assert not Member.objects.exists()


def test_sales_sees_only_members_of_contacts_they_may_see(member, api_client):
    seller = member(Role.SALES)
    mine = enrol(seller.workspace, owner=seller.user)
    enrol(seller.workspace, owner=member(Role.SALES).user)
    response = api_client(seller).get(MEMBERS)
    assert [row["id"] for row in response.json()["results"]] == [str(mine.pk)]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"level": "vip"}, ["vip"]),
        ({"min_spend": "1000"}, ["vip", "svip"]),
        ({"max_spend": "999.99"}, ["normal"]),
        ({"last_purchase_after": TODAY.isoformat()}, ["svip"]),
        (
            {"last_purchase_before": (TODAY - datetime.timedelta(days=10)).isoformat()},
            ["normal", "vip"],
        ),
    ],
    ids=["level", "min-spend", "max-spend", "recent", "lapsed"],
)
def test_member_filters(admin, api_client, query, expected):
    for amount, days_ago in (("10", 20), ("1500", 30), ("6000", 0)):
        transaction_record(
            workspace=admin.workspace,
            member=enrol(admin.workspace),
            actor=None,
            kind="purchase",
            amount=Decimal(amount),
            occurred_on=TODAY - datetime.timedelta(days=days_ago),
        )
    response = api_client(admin).get(MEMBERS, query)
    assert response.status_code == 200
    assert sorted(row["level"] for row in response.json()["results"]) == sorted(expected)


def test_filtering_members_by_another_workspaces_contact_is_a_400(
    admin, other_workspace, api_client
):
    foreign = ContactFactory(workspace=other_workspace)
    response = api_client(admin).get(MEMBERS, {"contact": str(foreign.pk)})
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["contact"]


# --- transactions ----------------------------------------------------------------------------
def payload(member, **overrides):
    return {
        "member": str(member.pk),
        "kind": "purchase",
        "occurred_on": TODAY.isoformat(),
        "amount": "1000.00",
        "channel": "淮海路店",
        "items": [{"sku": "T-1", "name": "龙井", "qty": 2, "price": "500.00"}],
        **overrides,
    }


def test_recording_a_transaction_updates_the_member(admin, api_client):
    member = enrol(admin.workspace)
    response = api_client(admin).post(TRANSACTIONS, payload(member), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["amount"], body["member_number"], body["items"][0]["price"]) == (
        "1000.00",
        member.member_number,
        "500.00",
    )
    member.refresh_from_db()
    assert (member.level, member.points_balance) == ("vip", 1000)


def test_the_same_idempotency_key_and_body_returns_the_first_transaction(admin, api_client):
    member = enrol(admin.workspace)
    client = api_client(admin)
    first = client.post(TRANSACTIONS, payload(member), format="json", HTTP_IDEMPOTENCY_KEY="abc")
    again = client.post(TRANSACTIONS, payload(member), format="json", HTTP_IDEMPOTENCY_KEY="abc")
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"]
    member.refresh_from_db()
    assert (Transaction.objects.count(), member.total_consumption) == (1, Decimal("1000.00"))


def test_the_same_key_with_another_body_is_a_409(admin, api_client):
    member = enrol(admin.workspace)
    client = api_client(admin)
    client.post(TRANSACTIONS, payload(member), format="json", HTTP_IDEMPOTENCY_KEY="abc")
    response = client.post(
        TRANSACTIONS, payload(member, amount="999.00"), format="json", HTTP_IDEMPOTENCY_KEY="abc"
    )
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "idempotency_conflict"
    assert "Idempotency-Key" in response.json()["error"]["message"]
    assert Transaction.objects.count() == 1


def test_another_workspaces_key_is_independent(admin, member, other_workspace, api_client):
    theirs = member(Role.ADMIN, in_workspace=other_workspace)
    for membership in (admin, theirs):
        response = api_client(membership).post(
            TRANSACTIONS,
            payload(enrol(membership.workspace)),
            format="json",
            HTTP_IDEMPOTENCY_KEY="shared",
        )
        assert response.status_code == 201
    assert Transaction.objects.count() == 2


def test_an_overlong_idempotency_key_is_a_400(admin, api_client):
    member = enrol(admin.workspace)
    response = api_client(admin).post(
        TRANSACTIONS, payload(member), format="json", HTTP_IDEMPOTENCY_KEY="k" * 201
    )
    assert response.status_code == 400
    assert not Transaction.objects.exists()


@pytest.mark.parametrize(
    "amount",
    [-1, "-1", 1.001, "1.001", "abc", 1e20, "1e20", "NaN", "Infinity", None, True, [], {}],
    ids=str,
)
def test_hostile_amounts_are_400_and_nothing_changes(admin, api_client, amount):
    member = enrol(admin.workspace)
    before = row_state(member)
    response = api_client(admin).post(TRANSACTIONS, payload(member, amount=amount), format="json")
    assert response.status_code == 400
    assert "amount" in response.json()["error"]["fields"]
    assert row_state(member) == before
    assert not Transaction.objects.exists()


@pytest.mark.parametrize(
    "items",
    [
        "text",
        [{"name": "茶", "qty": -1, "price": "1"}],
        [{"name": "茶", "qty": 1, "price": "1.001"}],
        [{"name": "<script>" * 100, "qty": 1, "price": "1"}],
        [{"name": "茶", "qty": 1, "price": "1"}] * 201,
    ],
    ids=["text", "negative-qty", "price-decimals", "long-name", "too-many"],
)
def test_bad_items_are_400(admin, api_client, items):
    member = enrol(admin.workspace)
    response = api_client(admin).post(TRANSACTIONS, payload(member, items=items), format="json")
    assert response.status_code == 400
    assert not Transaction.objects.exists()


def test_another_workspaces_member_in_the_body_is_a_400(admin, other_workspace, api_client):
    foreign = MemberFactory(workspace=other_workspace)
    response = api_client(admin).post(TRANSACTIONS, payload(foreign), format="json")
    assert response.status_code == 400
    assert "member" in response.json()["error"]["fields"]
    assert not Transaction.objects.exists()


def test_a_viewer_cannot_record_and_sales_only_for_their_own_members(member, api_client):
    viewer, seller = member(Role.VIEWER), member(Role.SALES)
    theirs = enrol(seller.workspace, owner=member(Role.SALES).user)
    mine = enrol(seller.workspace, owner=seller.user)
    assert api_client(viewer).post(TRANSACTIONS, payload(mine), format="json").status_code == 403
    assert api_client(seller).post(TRANSACTIONS, payload(theirs), format="json").status_code == 400
    assert api_client(seller).post(TRANSACTIONS, payload(mine), format="json").status_code == 201
    assert Transaction.objects.count() == 1


def test_transactions_cannot_be_changed_or_deleted(admin, api_client):
    member = enrol(admin.workspace)
    client = api_client(admin)
    created = client.post(TRANSACTIONS, payload(member), format="json").json()
    url = f"{TRANSACTIONS}{created['id']}/"
    assert client.patch(url, {"amount": "1"}, format="json").status_code == 405
    assert client.delete(url).status_code == 405
    assert client.get(url).json()["amount"] == "1000.00"


def test_transaction_filters_and_tenancy(admin, other_workspace, api_client):
    one, two = enrol(admin.workspace), enrol(admin.workspace)
    for member, kind in ((one, "purchase"), (two, "purchase"), (two, "return")):
        transaction_record(
            workspace=admin.workspace,
            member=member,
            actor=None,
            kind=kind,
            amount=Decimal("5"),
            occurred_on=TODAY,
        )
    transaction_record(
        workspace=other_workspace,
        member=enrol(other_workspace),
        actor=None,
        kind="purchase",
        amount=Decimal("5"),
        occurred_on=TODAY,
    )
    client = api_client(admin)
    assert len(client.get(TRANSACTIONS).json()["results"]) == 3
    by_member = client.get(TRANSACTIONS, {"member": str(two.pk), "kind": "return"}).json()
    assert [row["member"] for row in by_member["results"]] == [str(two.pk)]
    foreign = client.get(TRANSACTIONS, {"member": str(enrol(other_workspace).pk)})
    assert foreign.status_code == 400


def test_transaction_list_runs_the_same_number_of_queries_for_1_and_50_rows(admin, api_client):
    client = api_client(admin)
    member = enrol(admin.workspace)

    def add(count):
        for _ in range(count):
            transaction_record(
                workspace=admin.workspace,
                member=member,
                actor=None,
                kind="purchase",
                amount=Decimal("1"),
                occurred_on=TODAY,
                items=[{"name": "茶", "qty": 1, "price": "1"}],
            )

    add(1)
    client.get(TRANSACTIONS)
    with CaptureQueriesContext(connection) as one:
        client.get(TRANSACTIONS)
    add(49)
    with CaptureQueriesContext(connection) as many:
        response = client.get(TRANSACTIONS)
    assert len(response.json()["results"]) == 50
    assert len(many) == len(one)


# --- ledger, redeem, adjust --------------------------------------------------------------------
def test_ledger_lists_the_members_points_newest_first(admin, api_client):
    member = enrol(admin.workspace)
    client = api_client(admin)
    client.post(TRANSACTIONS, payload(member, amount="30.00", items=[]), format="json")
    response = client.post(
        reverse("api:member-redeem", args=[member.pk]), {"points": 10}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert response.json()["points_balance"] == 20
    ledger = client.get(reverse("api:member-ledger", args=[member.pk])).json()["results"]
    assert [(row["kind"], row["points"]) for row in ledger] == [("redeem", -10), ("earn", 30)]


def test_redeeming_more_than_the_balance_is_a_400(admin, api_client):
    member = enrol(admin.workspace)
    response = api_client(admin).post(
        reverse("api:member-redeem", args=[member.pk]), {"points": 1}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"points": ["Only 0 points can be redeemed."]}
    assert not PointsEntry.objects.exists()


@pytest.mark.parametrize("points", [0, -1, "x", 10**12, None], ids=str)
def test_redeem_refuses_bad_points(admin, api_client, points):
    member = enrol(admin.workspace)
    response = api_client(admin).post(
        reverse("api:member-redeem", args=[member.pk]), {"points": points}, format="json"
    )
    assert response.status_code == 400


def test_only_admins_and_managers_adjust_points(member, api_client):
    seller = member(Role.SALES)
    subject = enrol(seller.workspace, owner=seller.user)
    url = reverse("api:member-adjust", args=[subject.pk])
    body = {"points": 100, "note": "补偿"}
    assert api_client(seller).post(url, body, format="json").status_code == 403
    response = api_client(member(Role.ADMIN)).post(url, body, format="json")
    assert response.status_code == 200
    assert response.json()["points_balance"] == 100


def test_sales_cannot_redeem_for_a_teammates_member(member, api_client):
    from guanxi.workspaces.tests.factories import TeamFactory

    team = TeamFactory(workspace=member(Role.ADMIN).workspace)
    seller, mate = member(Role.SALES, team=team), member(Role.SALES, team=team)
    theirs = enrol(seller.workspace, owner=mate.user)
    points_url = reverse("api:member-redeem", args=[theirs.pk])
    # visible (team read scope) but not changeable (own write scope)
    assert api_client(seller).get(f"{MEMBERS}{theirs.pk}/").status_code == 200
    assert api_client(seller).post(points_url, {"points": 1}, format="json").status_code == 403
