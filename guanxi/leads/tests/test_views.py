"""Lead pages: the shared view test cases, plus breakdown, conversion, read-only, settings."""

from __future__ import annotations

import itertools

import pytest
from django.urls import reverse

from guanxi.assignment.tests.factories import AssignmentRuleFactory
from guanxi.audit.models import AuditEvent
from guanxi.core.testing_views import ViewTestCases, ui_client
from guanxi.leads.models import Lead
from guanxi.leads.services import scoring_model_for
from guanxi.leads.tests.factories import LeadFactory
from guanxi.leads.webform import web_form_for
from guanxi.opportunities.models import Opportunity
from guanxi.workspaces.choices import Role

pytestmark = pytest.mark.django_db
serial = itertools.count()


class TestLeadViews(ViewTestCases):
    namespace = "leads"
    model = Lead

    def make(self, workspace, **kwargs):
        return LeadFactory(workspace=workspace, **kwargs)

    def create_data(self):
        n = next(serial)
        return {"name": f"韩梅{n}", "mobile": f"135{n:08d}", "status": "new", "priority": "high"}

    def update_data(self, obj):
        return {"name": obj.name, "status": "working", "priority": "normal", "city": "深圳"}


def test_detail_shows_why_the_score(admin):
    lead = LeadFactory(
        workspace=admin.workspace,
        industry="technology",
        company_size="10-49",
        visits=10,
        expressed_interest=4,
    )
    from guanxi.leads.services import lead_score

    lead_score(lead=lead)
    page = ui_client(admin).get(reverse("leads:detail", args=[lead.pk]))
    assert page.context["breakdown"][0]["contribution"] == "20.00"
    assert "Why 78" in page.content.decode()


def test_convert_page_converts_and_the_lead_becomes_read_only(admin):
    lead = LeadFactory(workspace=admin.workspace, owner=admin.user, company_name="云帆")
    client = ui_client(admin)
    assert client.get(reverse("leads:convert", args=[lead.pk])).status_code == 200
    response = client.post(
        reverse("leads:convert", args=[lead.pk]),
        {
            "company_name": "云帆",
            "create_opportunity": "on",
            "opportunity_name": "云帆项目",
            "amount": "8000",
        },
    )
    assert response.status_code == 302
    lead.refresh_from_db()
    assert lead.status == "converted"
    assert Opportunity.objects.get().name == "云帆项目"
    # the edit page refuses with a message and changes nothing
    edit = client.post(
        reverse("leads:edit", args=[lead.pk]),
        {"name": "改名", "status": "new", "priority": "low"},
        follow=True,
    )
    assert "read-only" in edit.content.decode()
    lead.refresh_from_db()
    assert lead.name != "改名"


def test_assign_by_rules_button(admin, member):
    rep = member(Role.SALES)
    AssignmentRuleFactory(
        workspace=admin.workspace, is_default=True, target_kind="user", target_user=rep.user
    )
    lead = LeadFactory(workspace=admin.workspace)
    response = ui_client(admin).post(reverse("leads:assign", args=[lead.pk]))
    assert response.status_code == 302
    lead.refresh_from_db()
    assert lead.owner_id == rep.user_id


def test_scoring_settings_change_the_weights_and_rescore(admin, django_capture_on_commit_callbacks):
    lead = LeadFactory(
        workspace=admin.workspace,
        industry="technology",
        company_size="10-49",
        visits=10,
        expressed_interest=4,
    )
    page = ui_client(admin).get(reverse("leads:scoring"))
    assert page.status_code == 200
    form = page.context["form"]
    data = {name: form[name].value() for name in form.fields}
    data.update(weight_industry=40, weight_expressed_interest=20, mql_threshold=50)
    with django_capture_on_commit_callbacks(execute=True):
        response = ui_client(admin).post(reverse("leads:scoring"), data)
    assert response.status_code == 302, response.context["form"].errors
    model = scoring_model_for(admin.workspace)
    assert {c["key"]: c["weight"] for c in model.criteria}["industry"] == 40
    lead.refresh_from_db()
    # 40 + 6 + 20 + 16 = 82
    assert (lead.score, lead.score_stage) == (82, "sql")
    assert AuditEvent.objects.filter(object_type="leads.scoringmodel", action="update").exists()


def test_scoring_settings_refuse_weights_not_adding_to_100(admin):
    client = ui_client(admin)
    form = client.get(reverse("leads:scoring")).context["form"]
    data = {name: form[name].value() for name in form.fields}
    data["weight_industry"] = 99
    response = client.post(reverse("leads:scoring"), data)
    assert response.status_code == 200
    assert "100%" in str(response.context["form"].errors)


@pytest.mark.parametrize("role", [Role.SALES, Role.VIEWER], ids=str)
def test_only_admins_change_lead_settings(role, member):
    client = ui_client(member(role))
    assert client.post(reverse("leads:scoring"), {}).status_code == 403
    assert client.post(reverse("leads:web_form"), {"regenerate": "1"}).status_code == 403


def test_web_form_settings_show_the_address_and_snippet(admin):
    web_form = web_form_for(admin.workspace)
    page = ui_client(admin).get(reverse("leads:web_form")).content.decode()
    assert f"/f/{web_form.token}/" in page
    assert "&lt;iframe" in page
    old = web_form.token
    ui_client(admin).post(reverse("leads:web_form"), {"regenerate": "1"})
    web_form.refresh_from_db()
    assert web_form.token != old


def test_list_filters_by_score_stage(admin):
    LeadFactory(workspace=admin.workspace, name="hot", score_stage="sql", score=90)
    LeadFactory(workspace=admin.workspace, name="cold")
    response = ui_client(admin).get(reverse("leads:list"), {"score_stage": "sql"})
    assert [lead.name for lead in response.context["object_list"]] == ["hot"]


def test_pages_render_in_chinese(admin):
    lead = LeadFactory(workspace=admin.workspace)
    client = ui_client(admin)
    for url in (
        reverse("leads:list"),
        reverse("leads:detail", args=[lead.pk]),
        reverse("leads:scoring"),
        reverse("leads:web_form"),
    ):
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans")
        assert response.status_code == 200, url


def test_contact_and_company_pages_link_back_to_the_converted_lead(admin):
    from guanxi.leads.services import lead_convert

    lead = LeadFactory(workspace=admin.workspace, owner=admin.user, company_name="云帆")
    lead_convert(lead=lead, actor=admin.user, create_opportunity=False)
    lead.refresh_from_db()
    client = ui_client(admin)
    for url in (
        reverse("contacts:detail", args=[lead.converted_contact_id]),
        reverse("companies:detail", args=[lead.converted_company_id]),
    ):
        page = client.get(url).content.decode()
        assert reverse("leads:detail", args=[lead.pk]) in page, url
