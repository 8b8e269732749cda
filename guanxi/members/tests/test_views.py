"""Member pages: the shared view cases, enrolling from the contact page, the membership panel,
the timeline, recording transactions, redeeming and adjusting points, settings."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse

from guanxi.contacts.tests.factories import ContactFactory
from guanxi.core.services import tags_by_name
from guanxi.core.testing import row_state
from guanxi.core.testing_views import ViewTestCases, ui_client
from guanxi.core.timeline import timeline_page
from guanxi.members.models import LevelChange, Member, PointsEntry, Transaction
from guanxi.members.selectors import loyalty_settings_of
from guanxi.members.services import member_enrol, transaction_record
from guanxi.members.tests.factories import MemberFactory
from guanxi.workspaces.choices import Role

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


def enrol(workspace, **contact) -> Member:
    return member_enrol(
        workspace=workspace, contact=ContactFactory(workspace=workspace, **contact), actor=None
    )


def buy(member, amount, kind="purchase"):
    return transaction_record(
        workspace=member.workspace,
        member=member,
        actor=None,
        kind=kind,
        amount=Decimal(amount),
        occurred_on=TODAY,
    )


class TestMemberViews(ViewTestCases):
    namespace = "members"
    model = Member

    def make(self, workspace, **kwargs: Any) -> Member:
        contact = ContactFactory(workspace=workspace, owner=kwargs.pop("owner", None))
        return MemberFactory(workspace=workspace, contact=contact, **kwargs)

    def make_rich(self, workspace, *, owner) -> Member:
        member = self.make(workspace, owner=owner)
        member.interest_tags.set(tags_by_name(workspace=workspace, names=["茶"]))
        return member

    def create_data(self) -> dict[str, Any]:
        contact = ContactFactory(workspace=self.ws)
        return {"contact": contact.mobile, "status": "active", "joined_at": TODAY.isoformat()}

    def update_data(self, obj) -> dict[str, Any]:
        return {"status": "frozen", "joined_at": "2024-01-02", "interest_tags": "茶, 运动户外"}

    @pytest.fixture(autouse=True)
    def _workspace(self, workspace):
        self.ws = workspace

    def test_bulk_delete_skips_another_workspaces_ids(self, admin, other_workspace) -> None:
        # members have no bulk actions (a membership ends one at a time, with a confirmation)
        with pytest.raises(NoReverseMatch):
            reverse("members:bulk")


def test_the_list_filters_by_level_and_spend_and_sorts_by_spend(admin):
    small, big = enrol(admin.workspace), enrol(admin.workspace)
    buy(small, "10")
    buy(big, "6000")
    client = ui_client(admin)
    response = client.get(reverse("members:list"), {"level": "svip"})
    assert [m.pk for m in response.context["object_list"]] == [big.pk]
    response = client.get(reverse("members:list"), {"min_spend": "5", "sort": "spend"})
    assert [m.pk for m in response.context["object_list"]] == [small.pk, big.pk]
    response = client.get(reverse("members:list"), {"min_spend": "abc"})
    assert response.status_code == 200


def test_the_list_links_transactions_and_settings_for_admins_only(admin, member):
    settings_url = reverse("members:settings")
    page = ui_client(admin).get(reverse("members:list")).content.decode()
    assert reverse("members:transactions") in page
    assert settings_url in page
    page = ui_client(member(Role.SALES)).get(reverse("members:list")).content.decode()
    assert settings_url not in page


def test_the_list_shows_an_empty_state(admin):
    response = ui_client(admin).get(reverse("members:list"))
    assert "No members yet" in response.content.decode()


def test_create_finds_the_contact_by_mobile_and_refuses_ambiguous_names(admin):
    ContactFactory(workspace=admin.workspace, name="王芳")
    ContactFactory(workspace=admin.workspace, name="王芳")
    client = ui_client(admin)
    response = client.post(reverse("members:create"), {"contact": "王芳", "status": "active"})
    assert response.status_code == 200
    assert "Several contacts match" in str(response.context["form"].errors["contact"])
    response = client.post(reverse("members:create"), {"contact": "nobody", "status": "active"})
    assert "No contact matches" in str(response.context["form"].errors["contact"])
    assert not Member.objects.exists()


# --- the contact page ----------------------------------------------------------------------
def test_the_contact_page_offers_enrolment_then_shows_the_card(admin):
    contact = ContactFactory(workspace=admin.workspace, owner=admin.user)
    client = ui_client(admin)
    page = client.get(contact.get_absolute_url()).content.decode()
    enrol_url = reverse("members:enrol", args=[contact.pk])
    assert enrol_url in page
    # when the contact is enrolled from there
    response = client.post(enrol_url, {"status": "active", "joined_at": TODAY.isoformat()})
    member = Member.objects.get(contact=contact)
    assert response["Location"] == member.get_absolute_url()
    buy(member, "1200.00")
    # then the card shows the membership with its quick actions
    page = client.get(contact.get_absolute_url()).content.decode()
    assert member.member_number in page
    assert "VIP member" in page
    assert reverse("members:transaction_create", args=[member.pk]) in page
    assert reverse("members:redeem", args=[member.pk]) in page
    assert enrol_url not in page


def test_a_viewer_sees_the_card_without_actions(member):
    viewer = member(Role.VIEWER)
    subject = enrol(viewer.workspace)
    page = ui_client(viewer).get(subject.contact.get_absolute_url()).content.decode()
    assert subject.member_number in page
    assert reverse("members:redeem", args=[subject.pk]) not in page
    assert ui_client(viewer).get(reverse("members:redeem", args=[subject.pk])).status_code == 403


def test_the_contact_page_runs_the_same_queries_with_1_or_30_transactions(admin):
    subject = enrol(admin.workspace, owner=admin.user)
    buy(subject, "10")
    client = ui_client(admin)
    url = subject.contact.get_absolute_url()
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for _ in range(29):
        buy(subject, "100")
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(one)


def test_the_timeline_shows_transactions_and_level_changes(admin):
    subject = enrol(admin.workspace)
    buy(subject, "1000.00")
    buy(subject, "1.00", kind="return")
    entries, _cursor = timeline_page(subject.contact, admin, kinds={"member"})
    titles = [entry.title for entry in entries]
    assert "Member level: VIP member → Normal member" in titles
    assert "Member level: Normal member → VIP member" in titles
    assert "Purchase of 1000.00" in titles
    assert "Return of 1.00" in titles
    assert len(entries) == 4


def test_the_timeline_pages_strictly_before_the_cursor(admin):
    subject = enrol(admin.workspace)
    for _ in range(5):
        buy(subject, "1")
    first, cursor = timeline_page(subject.contact, admin, kinds={"member"}, limit=3)
    rest, end = timeline_page(subject.contact, admin, kinds={"member"}, before=cursor, limit=3)
    assert len(first) + len(rest) == 5
    assert end is None
    assert all(entry.at < cursor for entry in rest)


# --- transactions and points from the UI -----------------------------------------------------
def test_record_a_transaction_with_items_and_a_double_submit_records_once(admin):
    subject = enrol(admin.workspace)
    client = ui_client(admin)
    url = reverse("members:transaction_create", args=[subject.pk])
    form = client.get(url).context["form"]
    data = {
        "kind": "purchase",
        "occurred_on": TODAY.isoformat(),
        "amount": "1000.00",
        "channel": "淮海路店",
        "items": "龙井, 2, 500\n碧螺春，1，0，BLC-1",
        "idempotency_key": form["idempotency_key"].initial,
    }
    assert client.post(url, data)["Location"] == subject.get_absolute_url()
    assert client.post(url, data).status_code == 302
    record = Transaction.objects.get()
    assert record.items[1] == {"sku": "BLC-1", "name": "碧螺春", "qty": 1, "price": "0.00"}
    subject.refresh_from_db()
    assert (subject.level, subject.points_balance) == ("vip", 1000)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("amount", "-1"),
        ("amount", "1.001"),
        ("amount", "abc"),
        ("amount", "1e20"),
        ("amount", "NaN"),
        ("items", "龙井, two, 5"),
        ("kind", "gift"),
    ],
    ids=str,
)
def test_bad_transaction_input_shows_the_form_again(admin, field, value):
    subject = enrol(admin.workspace)
    data = {"kind": "purchase", "occurred_on": TODAY.isoformat(), "amount": "1", field: value}
    response = ui_client(admin).post(reverse("members:transaction_create", args=[subject.pk]), data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Transaction.objects.exists()


def test_redeem_more_than_the_balance_shows_an_error(admin):
    subject = enrol(admin.workspace)
    buy(subject, "10")
    client = ui_client(admin)
    url = reverse("members:redeem", args=[subject.pk])
    response = client.post(url, {"points": "11"})
    assert response.status_code == 200
    assert response.context["form"].errors["points"] == ["Only 10 points can be redeemed."]
    assert client.post(url, {"points": "10"}).status_code == 302
    subject.refresh_from_db()
    assert subject.points_balance == 0


def test_adjust_is_for_admins_and_managers(member):
    seller = member(Role.SALES)
    subject = enrol(seller.workspace, owner=seller.user)
    url = reverse("members:adjust", args=[subject.pk])
    assert ui_client(seller).get(url).status_code == 403
    response = ui_client(member(Role.ADMIN)).post(url, {"points": "-5", "note": "x"})
    assert response.context["form"].errors["points"] == ["Only 0 points can be taken."]
    ui_client(member(Role.ADMIN)).post(url, {"points": "50", "note": "补偿"})
    subject.refresh_from_db()
    assert subject.points_balance == 50
    assert PointsEntry.objects.get().note == "补偿"


def test_detail_shows_transactions_ledger_and_level_history(admin):
    subject = enrol(admin.workspace)
    buy(subject, "5000.00")
    page = ui_client(admin).get(subject.get_absolute_url()).content.decode()
    assert "5,000.00" in page or "5000.00" in page
    assert "Points ledger" in page
    assert "Normal member → SVIP member" in page
    assert LevelChange.objects.count() == 1


def test_sales_cannot_open_anothers_member_forms(member):
    seller = member(Role.SALES)
    theirs = enrol(seller.workspace, owner=member(Role.SALES).user)
    before = row_state(theirs)
    client = ui_client(seller)
    for name in ("detail", "transaction_create", "redeem", "edit"):
        assert client.get(reverse(f"members:{name}", args=[theirs.pk])).status_code == 404
    assert (
        client.get(
            reverse(
                "members:enrol",
                args=[ContactFactory(workspace=seller.workspace, owner=member(Role.SALES).user).pk],
            )
        ).status_code
        == 404
    )
    assert row_state(theirs) == before


# --- settings -------------------------------------------------------------------------------
def test_settings_are_for_admins_and_validated(member):
    admin, manager = member(Role.ADMIN), member(Role.MANAGER)
    url = reverse("members:settings")
    assert ui_client(manager).get(url).status_code == 403
    client = ui_client(admin)
    base = {
        "points_per_unit": "1",
        "points_expiry_months": "12",
        "number_prefix": "VIP",
        "number_width": "8",
    }
    response = client.post(url, {**base, "vip_threshold": "5000", "svip_threshold": "1000"})
    assert response.status_code == 200
    assert "svip_threshold" in response.context["form"].errors
    response = client.post(url, {**base, "vip_threshold": "-1", "svip_threshold": "1000"})
    assert "vip_threshold" in response.context["form"].errors
    response = client.post(url, {**base, "vip_threshold": "800", "svip_threshold": "3000"})
    assert response.status_code == 302
    assert loyalty_settings_of(admin.workspace).vip_threshold == Decimal("800.00")
