"""The leads API: the shared API test cases plus breakdown, convert, assign, read-only, hostile
input and masking."""

from __future__ import annotations

import itertools

import pytest
from django.urls import reverse

from guanxi.assignment.tests.factories import AssignmentRuleFactory
from guanxi.contacts.models import Contact
from guanxi.core.services import tags_by_name
from guanxi.core.testing import APIViewTestCases, row_state
from guanxi.leads.models import Lead
from guanxi.leads.tests.factories import LeadFactory
from guanxi.opportunities.models import Opportunity
from guanxi.workspaces.choices import Role
from guanxi.workspaces.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db
serial = itertools.count()
LIST_URL = "/api/v1/leads/"


def detail(lead, suffix: str = "detail") -> str:
    return reverse(f"api:lead-{suffix}", args=[lead.pk])


class TestLeadAPI(APIViewTestCases):
    basename = "lead"
    model = Lead

    def make(self, workspace, **kwargs):
        return LeadFactory(workspace=workspace, **kwargs)

    def make_rich(self, workspace, *, owner):
        lead = LeadFactory(workspace=workspace, owner=owner)
        lead.tags.set(tags_by_name(workspace=workspace, names=["展会", "华东"]))
        return lead

    def create_payload(self):
        n = next(serial)
        return {
            "name": f"韩梅{n}",
            "mobile": f"135{n:08d}",
            "company_name": "星辰",
            "tags": ["展会"],
        }

    def update_payload(self):
        return {"job_title": "采购经理", "city": "深圳"}


def test_the_score_breakdown_explains_the_score(admin, api_client):
    body = {
        "name": "王强",
        "industry": "technology",
        "company_size": "10-49",
        "visits": 10,
        "expressed_interest": 4,
    }
    response = api_client(admin).post(LIST_URL, body, format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert (data["score"], data["score_stage"]) == (78, "mql")
    assert [
        (row["key"], row["points"], row["contribution"]) for row in data["score_breakdown"]
    ] == [
        ("industry", 5, "20.00"),
        ("company_size", 2, "6.00"),
        ("visits", 4, "20.00"),
        ("expressed_interest", 4, "32.00"),
    ]


def test_convert_action_creates_the_records_and_makes_the_lead_read_only(admin, api_client):
    lead = LeadFactory(workspace=admin.workspace, owner=admin.user, company_name="云帆")
    client = api_client(admin)
    response = client.post(detail(lead, "convert"), {"amount": "5000.00"}, format="json")
    assert response.status_code == 200, response.json()
    data = response.json()
    assert data["status"] == "converted"
    assert data["converted_company"]["name"] == "云帆"
    assert data["converted_opportunity"]["id"] == str(Opportunity.objects.get().pk)
    assert data["converted_contact"]["id"] == str(Contact.objects.get().pk)
    lead.refresh_from_db()
    before = row_state(lead)
    patched = client.patch(detail(lead), {"name": "改名"}, format="json")
    assert patched.status_code == 400
    assert patched.json()["error"]["code"] == "invalid"
    assert "read-only" in patched.json()["error"]["fields"]["non_field_errors"][0]
    again = client.post(detail(lead, "convert"), {}, format="json")
    assert again.status_code == 400
    assert row_state(lead) == before


@pytest.mark.parametrize(
    "body",
    [
        {"amount": "-1"},
        {"amount": "1e20"},
        {"expected_close": "soon"},
        {"contact": "x"},
        {"company_name": "x" * 201},
    ],
    ids=["negative", "huge", "bad-date", "bad-contact", "long-name"],
)
def test_convert_refuses_bad_input_and_changes_nothing(body, admin, api_client):
    lead = LeadFactory(workspace=admin.workspace)
    response = api_client(admin).post(detail(lead, "convert"), body, format="json")
    assert response.status_code == 400
    assert Lead.objects.get().status == "new"
    assert not Opportunity.objects.exists()


def test_convert_refuses_another_workspaces_contact(admin, other_workspace, api_client):
    from guanxi.contacts.tests.factories import ContactFactory

    foreign = ContactFactory(workspace=other_workspace)
    lead = LeadFactory(workspace=admin.workspace)
    response = api_client(admin).post(
        detail(lead, "convert"), {"contact": str(foreign.pk)}, format="json"
    )
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["contact"]


def test_assign_action_uses_the_rules_or_a_manual_owner(admin, member, api_client):
    rep, other = member(Role.SALES), member(Role.SALES)
    AssignmentRuleFactory(
        workspace=admin.workspace, is_default=True, target_kind="user", target_user=rep.user
    )
    lead = LeadFactory(workspace=admin.workspace)
    client = api_client(admin)
    by_rules = client.post(detail(lead, "assign"), {}, format="json")
    assert by_rules.json()["owner"]["id"] == str(rep.user_id)
    manual = client.post(detail(lead, "assign"), {"owner": str(other.user_id)}, format="json")
    assert manual.json()["owner"]["id"] == str(other.user_id)


def test_assign_refuses_a_member_of_another_workspace(admin, other_workspace, api_client):
    stranger = MembershipFactory(workspace=other_workspace).user
    lead = LeadFactory(workspace=admin.workspace)
    response = api_client(admin).post(
        detail(lead, "assign"), {"owner": str(stranger.pk)}, format="json"
    )
    assert response.status_code == 400
    assert Lead.objects.get().owner_id is None


def test_a_viewer_may_not_convert_or_assign(member, api_client):
    viewer = member(Role.VIEWER)
    lead = LeadFactory(workspace=viewer.workspace)
    client = api_client(viewer)
    assert client.post(detail(lead, "convert"), {}, format="json").status_code == 403
    assert client.post(detail(lead, "assign"), {}, format="json").status_code == 403
    assert Lead.objects.get().status == "new"


HOSTILE_BODIES = {
    "name-list": ({"name": ["a"]}, "name"),
    "name-long": ({"name": "名" * 101}, "name"),
    "score-is-read-only": ({"name": "a", "score": 100, "visits": "many"}, "visits"),
    "interest-6": ({"name": "a", "expressed_interest": 6}, "expressed_interest"),
    "visits-negative": ({"name": "a", "visits": -1}, "visits"),
    "visits-huge": ({"name": "a", "visits": 10**12}, "visits"),
    "status-unknown": ({"name": "a", "status": "won"}, "status"),
    "status-converted": ({"name": "a", "status": "converted"}, "status"),
    "mobile-bad": ({"name": "a", "mobile": "12345"}, "mobile"),
    "owner-object": ({"name": "a", "owner": {"id": 1}}, "owner"),
    "tags-string": ({"name": "a", "tags": "VIP"}, "tags"),
}


@pytest.mark.parametrize(("body", "field"), list(HOSTILE_BODIES.values()), ids=list(HOSTILE_BODIES))
def test_hostile_input_is_a_400_on_its_field(body, field, admin, api_client):
    response = api_client(admin).post(LIST_URL, body, format="json")
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == [field]
    assert not Lead.objects.exists()


def test_mobile_and_email_are_masked_for_a_viewer(member, workspace, api_client):
    viewer = member(Role.VIEWER)
    LeadFactory(workspace=workspace, mobile="13800138000", email="wang@example.com")
    row = api_client(viewer).get(LIST_URL).json()["results"][0]
    assert (row["mobile"], row["email"]) == ("138****8000", "w***@example.com")


@pytest.mark.parametrize(
    ("query", "names"),
    [
        ({"status": "working"}, ["b"]),
        ({"score_min": 50}, ["b"]),
        ({"utm_campaign": "春季"}, ["a"]),
        ({"search": "13700000001"}, ["a"]),
        ({"search": "星"}, ["b"]),
    ],
    ids=["status", "score", "utm", "mobile", "company"],
)
def test_filters(query, names, admin, api_client):
    LeadFactory(workspace=admin.workspace, name="a", utm_campaign="春季", mobile="13700000001")
    LeadFactory(
        workspace=admin.workspace, name="b", status="working", score=60, company_name="星辰"
    )
    rows = api_client(admin).get(LIST_URL, query).json()["results"]
    assert [row["name"] for row in rows] == names
