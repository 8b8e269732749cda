"""Deal pages: the shared view checks, moves with gates, won/lost, checklist, decision chain,
the pipelines settings, and the panel/timeline on company and contact pages."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from guanxi.companies.tests.factories import CompanyFactory
from guanxi.contacts.tests.factories import ContactFactory
from guanxi.core.testing_views import ViewTestCases, ui_client
from guanxi.opportunities.choices import OpportunityStatus
from guanxi.opportunities.models import Opportunity, OpportunityContact, Pipeline, Stage
from guanxi.opportunities.services import default_pipeline, pipeline_stages, stage_update
from guanxi.opportunities.tests.factories import OpportunityFactory
from guanxi.workspaces.choices import Role

pytestmark = pytest.mark.django_db


class TestOpportunityViews(ViewTestCases):
    namespace = "opportunities"
    model = Opportunity

    def make(self, workspace, **kwargs: Any) -> Opportunity:
        return OpportunityFactory(workspace=workspace, **kwargs)

    def make_rich(self, workspace, *, owner) -> Opportunity:
        company = CompanyFactory(workspace=workspace)
        contact = ContactFactory(workspace=workspace, company=company)
        return self.make(workspace, owner=owner, company=company, primary_contact=contact)

    def create_data(self) -> dict[str, Any]:
        return {"name": "上海工厂 MES 项目", "amount": "250000", "currency": "CNY"}

    def update_data(self, obj) -> dict[str, Any]:
        return {
            "name": f"{obj.name}（改）",
            "amount": "1.00",
            "currency": "CNY",
            "owner": obj.owner_id or "",
        }


def test_new_deal_from_a_company_page_is_prefilled(admin):
    company = CompanyFactory(workspace=admin.workspace, name="苏州精工")
    response = ui_client(admin).get(reverse("opportunities:create"), {"company": company.pk})
    assert response.status_code == 200
    assert 'value="苏州精工"' in response.content.decode()


def test_probability_left_empty_follows_the_stage(admin):
    client = ui_client(admin)
    response = client.post(
        reverse("opportunities:create"), {"name": "A", "amount": "10", "currency": "CNY"}
    )
    assert response.status_code == 302
    deal = Opportunity.objects.get(name="A")
    assert (deal.probability, deal.probability_custom) == (10, False)
    client.post(
        reverse("opportunities:edit", args=[deal.pk]),
        {"name": "A", "amount": "10", "currency": "CNY", "probability": "33"},
    )
    deal.refresh_from_db()
    assert (deal.probability, deal.probability_custom) == (33, True)


def test_move_refused_by_gate_flashes_the_reason(admin):
    deal = OpportunityFactory(workspace=admin.workspace, actor=admin.user)
    stages = pipeline_stages(deal.pipeline)
    stage_update(stage=stages[1], actor=admin.user, data={"checklist": ["预算已确认"]})
    response = ui_client(admin).post(
        reverse("opportunities:move", args=[deal.pk]), {"stage": stages[1].pk}, follow=True
    )
    assert "预算已确认" in response.content.decode()
    deal.refresh_from_db()
    assert deal.stage == stages[0]


def test_board_move_answers_json(admin):
    deal = OpportunityFactory(workspace=admin.workspace, actor=admin.user)
    stages = pipeline_stages(deal.pipeline)
    stage_update(stage=stages[2], actor=admin.user, data={"required_fields": ["expected_close"]})
    client = ui_client(admin)
    url = reverse("opportunities:move", args=[deal.pk])
    refused = client.post(url, {"stage": stages[2].pk}, HTTP_ACCEPT="application/json")
    assert refused.status_code == 400
    assert "expected close date" in refused.json()["reason"]
    moved = client.post(url, {"stage": stages[1].pk}, HTTP_ACCEPT="application/json")
    assert moved.status_code == 200 and moved.json()["ok"] is True
    bad = client.post(url, {"stage": "../../etc"}, HTTP_ACCEPT="application/json")
    assert bad.status_code == 400


def test_board_move_by_viewer_is_refused(member):
    viewer = member(Role.VIEWER)
    deal = OpportunityFactory(workspace=viewer.workspace)
    stage = pipeline_stages(deal.pipeline)[1]
    response = ui_client(viewer).post(
        reverse("opportunities:move", args=[deal.pk]),
        {"stage": stage.pk},
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 403
    deal.refresh_from_db()
    assert deal.stage != stage


def test_lost_needs_a_reason_then_won_and_lost_buttons(admin):
    deal = OpportunityFactory(workspace=admin.workspace, actor=admin.user)
    client = ui_client(admin)
    client.post(reverse("opportunities:lost", args=[deal.pk]), {"lost_reason": ""})
    deal.refresh_from_db()
    assert deal.status == OpportunityStatus.OPEN
    client.post(reverse("opportunities:lost", args=[deal.pk]), {"lost_reason": "竞品低价"})
    deal.refresh_from_db()
    assert (deal.status, deal.lost_reason) == (OpportunityStatus.LOST, "竞品低价")
    page = client.get(reverse("opportunities:detail", args=[deal.pk])).content.decode()
    assert "竞品低价" in page


def test_checklist_tick_and_decision_chain(admin):
    company = CompanyFactory(workspace=admin.workspace)
    person = ContactFactory(workspace=admin.workspace, company=company, name="赵工")
    deal = OpportunityFactory(workspace=admin.workspace, actor=admin.user, company=company)
    stages = pipeline_stages(deal.pipeline)
    stage_update(stage=stages[1], actor=admin.user, data={"checklist": ["需求调研"]})
    client = ui_client(admin)
    client.post(
        reverse("opportunities:checklist", args=[deal.pk]), {"item": "需求调研", "done": "1"}
    )
    deal.refresh_from_db()
    assert deal.checklist_done == ["需求调研"]
    client.post(
        reverse("opportunities:contact_add", args=[deal.pk]),
        {"contact": person.pk, "role": "technical_evaluator"},
    )
    link = OpportunityContact.objects.get(opportunity=deal)
    assert (link.contact, link.role) == (person, "technical_evaluator")
    page = client.get(reverse("opportunities:detail", args=[deal.pk])).content.decode()
    assert "赵工" in page and "Technical evaluator" in page
    client.post(reverse("opportunities:contact_remove", args=[deal.pk, link.pk]))
    assert not OpportunityContact.objects.filter(opportunity=deal).exists()


def test_decision_chain_refuses_another_workspaces_contact(admin, other_workspace):
    foreign = ContactFactory(workspace=other_workspace)
    deal = OpportunityFactory(workspace=admin.workspace, actor=admin.user)
    ui_client(admin).post(
        reverse("opportunities:contact_add", args=[deal.pk]),
        {"contact": foreign.pk, "role": "purchaser"},
    )
    assert not OpportunityContact.objects.exists()


def test_detail_shows_stage_history(admin):
    deal = OpportunityFactory(workspace=admin.workspace, actor=admin.user)
    stages = pipeline_stages(deal.pipeline)
    client = ui_client(admin)
    client.post(reverse("opportunities:move", args=[deal.pk]), {"stage": stages[1].pk})
    page = client.get(reverse("opportunities:detail", args=[deal.pk])).content.decode()
    assert 'id="stage-history"' in page
    assert page.count("current") >= 1


# --- pipelines settings ---------------------------------------------------------------------
def test_admin_creates_a_pipeline_and_a_stage_with_a_gate(admin):
    client = ui_client(admin)
    response = client.post(reverse("opportunities:pipeline_create"), {"name": "续约", "order": 2})
    assert response.status_code == 302
    pipeline = Pipeline.objects.get(workspace=admin.workspace, name="续约")
    assert pipeline.stages.count() == 3
    response = client.post(
        reverse("opportunities:stage_create", args=[pipeline.pk]),
        {
            "name": "报价",
            "order": 1,
            "probability": 55,
            "kind": "open",
            "colour": "orange",
            "stagnation_days": 7,
            "required_fields": ["amount", "company"],
            "checklist": "报价单已审批\n折扣已确认",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    stage = Stage.objects.get(pipeline=pipeline, name="报价")
    assert stage.required_fields == ["amount", "company"]
    assert stage.checklist == ["报价单已审批", "折扣已确认"]
    assert (stage.probability, stage.allow_skip, stage.stagnation_days) == (55, False, 7)


def test_stage_validation_messages(admin):
    pipeline = default_pipeline(admin.workspace)
    response = ui_client(admin).post(
        reverse("opportunities:stage_create", args=[pipeline.pk]),
        {"name": "X", "order": 1, "probability": 150, "kind": "open", "colour": "blue"},
    )
    assert response.status_code == 200
    assert "100" in response.content.decode()


def test_stage_with_deals_cannot_be_deleted(admin):
    deal = OpportunityFactory(workspace=admin.workspace, actor=admin.user)
    client = ui_client(admin)
    response = client.post(reverse("opportunities:stage_delete", args=[deal.stage_id]), follow=True)
    assert Stage.objects.filter(pk=deal.stage_id).exists()
    assert "still holds deals" in response.content.decode()


def test_stage_reorder(admin):
    stages = pipeline_stages(default_pipeline(admin.workspace))
    ui_client(admin).post(
        reverse("opportunities:stage_move", args=[stages[1].pk]), {"direction": "up"}
    )
    reordered = pipeline_stages(stages[0].pipeline)
    assert [s.pk for s in reordered[:2]] == [stages[1].pk, stages[0].pk]


def test_sales_reads_pipelines_but_cannot_change_them(member):
    sales = member(Role.SALES)
    pipeline = default_pipeline(sales.workspace)
    client = ui_client(sales)
    assert client.get(reverse("opportunities:pipelines")).status_code == 200
    assert client.get(reverse("opportunities:pipeline_edit", args=[pipeline.pk])).status_code == 403
    response = client.post(reverse("opportunities:pipeline_create"), {"name": "x"})
    assert response.status_code == 403
    assert Pipeline.objects.filter(workspace=sales.workspace).count() == 1


# --- panel and timeline on company / contact pages ----------------------------------------------
def test_company_page_panel_and_timeline(admin):
    company = CompanyFactory(workspace=admin.workspace)
    deal = OpportunityFactory(
        workspace=admin.workspace, actor=admin.user, company=company, name="年度框架协议"
    )
    stages = pipeline_stages(deal.pipeline)
    client = ui_client(admin)
    client.post(reverse("opportunities:move", args=[deal.pk]), {"stage": stages[1].pk})
    page = client.get(reverse("companies:detail", args=[company.pk])).content.decode()
    assert 'id="opportunities-panel"' in page
    assert "年度框架协议" in page
    timeline = client.get(
        reverse("interactions:timeline_company", args=[company.pk]), {"kind": "deal"}
    ).content.decode()
    assert "moved to" in timeline and "年度框架协议" in timeline


def test_contact_panel_lists_deals_in_the_decision_chain(admin):
    contact = ContactFactory(workspace=admin.workspace)
    OpportunityFactory(
        workspace=admin.workspace,
        actor=admin.user,
        name="链上的单",
        contacts=[(contact, "influencer")],
    )
    page = ui_client(admin).get(reverse("contacts:detail", args=[contact.pk])).content.decode()
    assert "链上的单" in page


def test_company_page_query_count_does_not_grow_with_deals(admin):
    company = CompanyFactory(workspace=admin.workspace)
    client = ui_client(admin)
    OpportunityFactory(workspace=admin.workspace, actor=admin.user, company=company)
    url = reverse("companies:detail", args=[company.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for _ in range(15):
        OpportunityFactory(workspace=admin.workspace, actor=admin.user, company=company)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(one)
