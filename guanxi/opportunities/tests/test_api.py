"""The opportunities and pipelines API: shared API cases, move with gates, won/lost, filters,
hostile input and other workspaces' ids."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from guanxi.companies.tests.factories import CompanyFactory
from guanxi.contacts.tests.factories import ContactFactory
from guanxi.core.testing import APIViewTestCases, row_state
from guanxi.opportunities.models import Opportunity, StageHistory
from guanxi.opportunities.services import default_pipeline, pipeline_stages, stage_update
from guanxi.opportunities.tests.factories import OpportunityFactory
from guanxi.workspaces.choices import Role

pytestmark = pytest.mark.django_db
LIST_URL = "/api/v1/opportunities/"


def action_url(deal, name: str) -> str:
    return reverse(f"api:opportunity-{name}", args=[deal.pk])


class TestOpportunityAPI(APIViewTestCases):
    basename = "opportunity"
    model = Opportunity

    def make(self, workspace, **kwargs):
        return OpportunityFactory(workspace=workspace, **kwargs)

    def make_rich(self, workspace, *, owner):
        company = CompanyFactory(workspace=workspace)
        contact = ContactFactory(workspace=workspace, company=company)
        return OpportunityFactory(
            workspace=workspace,
            owner=owner,
            company=company,
            primary_contact=contact,
            contacts=[(contact, "decision_maker")],
        )

    def create_payload(self):
        return {"name": "华东区 CRM 项目", "amount": "120000.00", "currency": "CNY"}

    def update_payload(self):
        return {"name": "华东区 CRM 二期", "amount": "99.50"}

    def test_patch_changes_the_given_fields_and_the_etag(self, admin, api_client) -> None:
        obj = self.make(admin.workspace)
        response = api_client(admin).patch(
            self.detail_url(obj), self.update_payload(), format="json", HTTP_IF_MATCH=obj.etag
        )
        assert response.status_code == 200, response.json()
        obj.refresh_from_db()
        assert (obj.name, obj.amount) == ("华东区 CRM 二期", Decimal("99.50"))
        assert response.json()["amount"] == "99.50"
        assert response["ETag"] == obj.etag


def test_create_defaults_pipeline_stage_and_probability(admin, api_client):
    response = api_client(admin).post(LIST_URL, {"name": "ERP", "amount": "100"}, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    first = pipeline_stages(default_pipeline(admin.workspace))[0]
    assert body["stage"]["id"] == str(first.pk)
    assert body["probability"] == 10 and body["probability_custom"] is False
    assert body["weighted_amount"] == "10.00"


def test_create_with_decision_chain(admin, api_client):
    contact = ContactFactory(workspace=admin.workspace, name="李总")
    response = api_client(admin).post(
        LIST_URL,
        {"name": "ERP", "contacts": [{"contact": str(contact.pk), "role": "decision_maker"}]},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["contacts"] == [
        {"contact": {"id": str(contact.pk), "name": "李总"}, "role": "decision_maker"}
    ]


def test_move_refused_by_gate_is_400_with_the_reason(admin, api_client):
    deal = OpportunityFactory(workspace=admin.workspace, actor=admin.user)
    stages = pipeline_stages(deal.pipeline)
    stage_update(stage=stages[1], actor=admin.user, data={"required_fields": ["company"]})
    before = row_state(deal)
    response = api_client(admin).post(
        action_url(deal, "move"), {"stage": str(stages[1].pk)}, format="json"
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert "company" in error["fields"]["stage"][0]
    assert row_state(deal) == before


def test_move_records_history(admin, api_client):
    deal = OpportunityFactory(workspace=admin.workspace, actor=admin.user)
    stages = pipeline_stages(deal.pipeline)
    response = api_client(admin).post(
        action_url(deal, "move"), {"stage": str(stages[2].pk)}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert response.json()["stage"]["id"] == str(stages[2].pk)
    assert response.json()["probability"] == 40
    assert StageHistory.objects.filter(opportunity=deal).count() == 2


def test_move_to_another_workspaces_stage_is_400(admin, api_client, other_workspace):
    deal = OpportunityFactory(workspace=admin.workspace, actor=admin.user)
    foreign = pipeline_stages(default_pipeline(other_workspace))[1]
    response = api_client(admin).post(
        action_url(deal, "move"), {"stage": str(foreign.pk)}, format="json"
    )
    assert response.status_code == 400
    assert "stage" in response.json()["error"]["fields"]


@pytest.mark.parametrize("stage", ["not-a-uuid", 12, None, ["x"], "<script>alert(1)</script>"])
def test_move_with_hostile_stage_is_400(admin, api_client, stage):
    deal = OpportunityFactory(workspace=admin.workspace, actor=admin.user)
    response = api_client(admin).post(action_url(deal, "move"), {"stage": stage}, format="json")
    assert response.status_code == 400


def test_move_needs_change_permission(member, api_client):
    viewer = member(Role.VIEWER)
    deal = OpportunityFactory(workspace=viewer.workspace)
    stages = pipeline_stages(deal.pipeline)
    response = api_client(viewer).post(
        action_url(deal, "move"), {"stage": str(stages[1].pk)}, format="json"
    )
    assert response.status_code == 403


def test_sales_cannot_move_a_colleagues_deal(member, api_client):
    sales = member(Role.SALES)
    other = member(Role.SALES)
    deal = OpportunityFactory(workspace=sales.workspace, owner=other.user)
    stages = pipeline_stages(deal.pipeline)
    response = api_client(sales).post(
        action_url(deal, "move"), {"stage": str(stages[1].pk)}, format="json"
    )
    assert response.status_code == 404


def test_lost_requires_reason_and_won_closes(admin, api_client):
    deal = OpportunityFactory(workspace=admin.workspace, actor=admin.user)
    client = api_client(admin)
    assert client.post(action_url(deal, "lost"), {}, format="json").status_code == 400
    response = client.post(action_url(deal, "lost"), {"lost_reason": "预算取消"}, format="json")
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["lost_reason"]) == ("lost", "预算取消")
    response = client.post(action_url(deal, "won"), format="json")
    assert response.status_code == 200
    assert response.json()["status"] == "won" and response.json()["closed_at"]


def test_probability_override_and_reset(admin, api_client):
    deal = OpportunityFactory(workspace=admin.workspace, actor=admin.user)
    client = api_client(admin)
    url = reverse("api:opportunity-detail", args=[deal.pk])
    body = client.patch(url, {"probability": 65}, format="json").json()
    assert (body["probability"], body["probability_custom"]) == (65, True)
    body = client.patch(url, {"probability": None}, format="json").json()
    assert (body["probability"], body["probability_custom"]) == (10, False)
    assert client.patch(url, {"probability": 101}, format="json").status_code == 400
    assert client.patch(url, {"amount": "-1"}, format="json").status_code == 400
    assert client.patch(url, {"amount": "1e20"}, format="json").status_code == 400


def test_pipeline_cannot_change_on_update(admin, api_client):
    deal = OpportunityFactory(workspace=admin.workspace, actor=admin.user)
    other = OpportunityFactory(workspace=admin.workspace, actor=admin.user)
    from guanxi.opportunities.services import pipeline_create

    second = pipeline_create(workspace=admin.workspace, actor=admin.user, data={"name": "续约"})
    url = reverse("api:opportunity-detail", args=[deal.pk])
    response = api_client(admin).patch(url, {"pipeline": str(second.pk)}, format="json")
    assert response.status_code == 400
    assert other.pipeline_id == deal.pipeline_id


def test_html_is_stored_as_text(admin, api_client):
    response = api_client(admin).post(
        LIST_URL, {"name": "<img src=x onerror=alert(1)>"}, format="json"
    )
    assert response.status_code == 201
    assert response.json()["name"] == "<img src=x onerror=alert(1)>"


def test_filters_status_pipeline_amount(admin, api_client):
    small = OpportunityFactory(workspace=admin.workspace, actor=admin.user, amount=10)
    big = OpportunityFactory(workspace=admin.workspace, actor=admin.user, amount=5000)
    client = api_client(admin)
    ids = [row["id"] for row in client.get(LIST_URL, {"amount_min": 100}).json()["results"]]
    assert ids == [str(big.pk)]
    ids = [row["id"] for row in client.get(LIST_URL, {"amount_max": 100}).json()["results"]]
    assert ids == [str(small.pk)]
    client.post(action_url(small, "won"), format="json")
    ids = [row["id"] for row in client.get(LIST_URL, {"status": "won"}).json()["results"]]
    assert ids == [str(small.pk)]


def test_pipelines_list_with_stages(admin, api_client, other_workspace):
    default_pipeline(admin.workspace)
    default_pipeline(other_workspace)
    response = api_client(admin).get("/api/v1/pipelines/")
    assert response.status_code == 200
    results = response.json()["results"]
    assert len(results) == 1
    assert [stage["probability"] for stage in results[0]["stages"]] == [
        10,
        20,
        40,
        50,
        60,
        80,
        100,
        100,
        0,
    ]


def test_pipelines_are_read_only_in_the_api(admin, api_client):
    response = api_client(admin).post("/api/v1/pipelines/", {"name": "x"}, format="json")
    assert response.status_code == 405
