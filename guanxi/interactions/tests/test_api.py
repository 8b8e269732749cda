"""The interactions API: the shared API test cases plus the customer rule, sanitising, filters,
hostile input, other workspaces' ids and completing a follow-up."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from guanxi.companies.tests.factories import CompanyFactory
from guanxi.contacts.tests.factories import ContactFactory
from guanxi.core.testing import APIViewTestCases, row_state
from guanxi.interactions.models import Interaction
from guanxi.interactions.tests.factories import InteractionFactory
from guanxi.workspaces.choices import Role
from guanxi.workspaces.tests.factories import MembershipFactory, TeamFactory

pytestmark = pytest.mark.django_db
LIST_URL = "/api/v1/interactions/"


def detail(interaction) -> str:
    return reverse("api:interaction-detail", args=[interaction.pk])


class TestInteractionAPI(APIViewTestCases):
    basename = "interaction"
    model = Interaction

    def make(self, workspace, **kwargs):
        return InteractionFactory(workspace=workspace, **kwargs)

    def make_rich(self, workspace, *, owner):
        company = CompanyFactory(workspace=workspace)
        contact = ContactFactory(workspace=workspace, company=company)
        return InteractionFactory(
            workspace=workspace, owner=owner, contact=contact, company=company
        )

    @pytest.fixture(autouse=True)
    def customer(self, workspace):
        """The shared cases post as an admin of `workspace`: the payload names its company."""
        self.company = CompanyFactory(workspace=workspace, name="上海客户")

    def create_payload(self):
        return {
            "company": str(self.company.pk),
            "subject": "电话回访",
            "channel": "call",
            "status": "awaiting_reply",
        }

    def update_payload(self):
        return {"subject": "微信确认报价", "channel": "wechat"}

    def test_put_replaces_the_row(self, admin, api_client) -> None:
        obj = self.make(admin.workspace)
        payload = self.create_payload()
        response = api_client(admin).put(self.detail_url(obj), payload, format="json")
        assert response.status_code == 200, response.json()
        obj.refresh_from_db()
        assert (obj.subject, obj.status, obj.company_id) == (
            "电话回访",
            "awaiting_reply",
            self.company.pk,
        )


def test_a_contact_fills_the_company_and_the_answer_shows_both(admin, api_client):
    company = CompanyFactory(workspace=admin.workspace, name="华东贸易")
    contact = ContactFactory(workspace=admin.workspace, company=company, name="王经理")
    response = api_client(admin).post(
        LIST_URL, {"contact": str(contact.pk), "subject": "拜访"}, format="json"
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["contact"]["name"], body["company"]["name"]) == ("王经理", "华东贸易")
    assert body["owner"]["id"] == str(admin.user_id)


def test_neither_contact_nor_company_is_a_400_on_contact(admin, api_client):
    response = api_client(admin).post(LIST_URL, {"subject": "无客户"}, format="json")
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["contact"]
    assert not Interaction.objects.exists()


def test_script_in_content_is_removed_and_returned_as_json(admin, api_client):
    contact = ContactFactory(workspace=admin.workspace)
    response = api_client(admin).post(
        LIST_URL,
        {
            "contact": str(contact.pk),
            "subject": "<b>subject stays text</b>",
            "content": "<p>好</p><script>alert(1)</script><img src=x onerror=alert(1)>",
        },
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["content"] == "<p>好</p>"
    assert response.json()["subject"] == "<b>subject stays text</b>"
    assert response["Content-Type"] == "application/json"


HOSTILE = {
    "subject-missing": ({}, "subject"),
    "subject-long": ({"subject": "字" * 201}, "subject"),
    "subject-list": ({"subject": ["a"]}, "subject"),
    "channel-unknown": ({"channel": "pigeon"}, "channel"),
    "status-unknown": ({"status": "done"}, "status"),
    "direction-unknown": ({"direction": "sideways"}, "direction"),
    "occurred-nonsense": ({"occurred_at": "2026-13-45"}, "occurred_at"),
    "occurred-number": ({"occurred_at": 20260101}, "occurred_at"),
    "follow-up-nonsense": ({"next_follow_up": "tomorrow"}, "next_follow_up"),
    "content-huge": ({"content": "字" * 20_001}, "content"),
    "content-object": ({"content": {"html": "<p>"}}, "content"),
    "done-text": ({"follow_up_done": "maybe"}, "follow_up_done"),
    "contact-not-uuid": ({"contact": "../../etc"}, "contact"),
    "contact-number": ({"contact": 7}, "contact"),
    "owner-object": ({"owner": {"id": 1}}, "owner"),
}


@pytest.mark.parametrize(("extra", "field"), list(HOSTILE.values()), ids=list(HOSTILE))
def test_hostile_input_is_a_400_on_its_field_and_stores_nothing(extra, field, admin, api_client):
    company = CompanyFactory(workspace=admin.workspace)
    body = {"company": str(company.pk), "subject": "ok", **extra}
    if field == "subject" and "subject" not in extra:
        body.pop("subject")
    response = api_client(admin).post(LIST_URL, body, format="json")
    assert response.status_code == 400, response.json()
    assert field in response.json()["error"]["fields"]
    assert not Interaction.objects.exists()


@pytest.mark.parametrize("field", ["contact", "company", "owner"], ids=str)
def test_another_workspaces_ids_are_a_400(field, admin, other_workspace, api_client):
    foreign = {
        "contact": lambda: ContactFactory(workspace=other_workspace).pk,
        "company": lambda: CompanyFactory(workspace=other_workspace).pk,
        "owner": lambda: MembershipFactory(workspace=other_workspace).user_id,
    }[field]()
    own = InteractionFactory(workspace=admin.workspace)
    before = row_state(own)
    client = api_client(admin)
    created = client.post(LIST_URL, {"subject": "x", field: str(foreign)}, format="json")
    patched = client.patch(detail(own), {field: str(foreign)}, format="json")
    assert (created.status_code, patched.status_code) == (400, 400)
    assert field in created.json()["error"]["fields"]
    assert list(patched.json()["error"]["fields"]) == [field]
    assert Interaction.objects.count() == 1
    assert row_state(own) == before


def test_filters(admin, api_client):
    today = timezone.localdate()
    contact = ContactFactory(workspace=admin.workspace)
    InteractionFactory(workspace=admin.workspace, contact=contact, subject="A", channel="email")
    InteractionFactory(
        workspace=admin.workspace,
        subject="B",
        status="awaiting_reply",
        next_follow_up=today - timedelta(days=1),
        occurred_at=timezone.now() - timedelta(days=10),
    )
    InteractionFactory(workspace=admin.workspace, subject="C", next_follow_up=today)
    InteractionFactory(
        workspace=admin.workspace, subject="D", next_follow_up=today, follow_up_done=True
    )
    client = api_client(admin)

    def subjects(**params) -> list[str]:
        response = client.get(LIST_URL, params)
        assert response.status_code == 200, response.json()
        return sorted(row["subject"] for row in response.json()["results"])

    assert subjects(contact=str(contact.pk)) == ["A"]
    assert subjects(channel="email") == ["A"]
    assert subjects(status="awaiting_reply") == ["B"]
    assert subjects(follow_up="overdue") == ["B"]
    assert subjects(follow_up="today") == ["C"]
    assert subjects(follow_up="due") == ["B", "C"]
    assert subjects(follow_up="done") == ["D"]
    before = (today - timedelta(days=5)).isoformat()
    assert subjects(occurred_before=before) == ["B"]
    assert subjects(occurred_after=before) == ["A", "C", "D"]


def test_filtering_by_another_workspaces_contact_is_a_400(admin, other_workspace, api_client):
    foreign = ContactFactory(workspace=other_workspace)
    response = api_client(admin).get(LIST_URL, {"contact": str(foreign.pk)})
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["contact"]


def test_complete_marks_the_follow_up_done(admin, api_client):
    interaction = InteractionFactory(workspace=admin.workspace, next_follow_up=date(2026, 1, 1))
    response = api_client(admin).post(reverse("api:interaction-complete", args=[interaction.pk]))
    assert response.status_code == 200
    assert response.json()["follow_up_done"] is True
    assert response["ETag"] == Interaction.objects.get(pk=interaction.pk).etag


def test_a_viewer_cannot_complete_and_nothing_changes(member, api_client, workspace):
    viewer = member(Role.VIEWER)
    interaction = InteractionFactory(workspace=workspace, next_follow_up=date(2026, 1, 1))
    before = row_state(interaction)
    response = api_client(viewer).post(reverse("api:interaction-complete", args=[interaction.pk]))
    assert response.status_code == 403
    assert row_state(interaction) == before


def test_service_logs_interactions_but_changes_only_its_own(member, api_client, workspace):
    service = member(Role.SERVICE)
    company = CompanyFactory(workspace=workspace)
    client = api_client(service)
    created = client.post(LIST_URL, {"company": str(company.pk), "subject": "售后"}, format="json")
    assert created.status_code == 201
    someone_elses = InteractionFactory(workspace=workspace, owner=member(Role.SALES).user)
    assert client.patch(detail(someone_elses), {"subject": "x"}, format="json").status_code == 403
    assert client.delete(detail(Interaction.objects.get(subject="售后"))).status_code == 403


def test_sales_see_their_team_only(member, api_client, workspace):
    team, other = TeamFactory(workspace=workspace), TeamFactory(workspace=workspace)
    me, stranger = member(Role.SALES, team=team), member(Role.SALES, team=other)
    mine = InteractionFactory(workspace=workspace, owner=me.user)
    theirs = InteractionFactory(workspace=workspace, owner=stranger.user)
    client = api_client(me)
    assert [r["id"] for r in client.get(LIST_URL).json()["results"]] == [str(mine.pk)]
    assert client.get(detail(theirs)).status_code == 404
