"""The rule table pages: list, create, edit, reorder, delete with confirmation, preview."""

from __future__ import annotations

import pytest
from django.urls import reverse

from guanxi.assignment.models import AssignmentRule
from guanxi.assignment.tests.factories import AssignmentRuleFactory
from guanxi.audit.models import AuditEvent
from guanxi.core.testing_views import ui_client
from guanxi.leads.tests.factories import LeadFactory
from guanxi.workspaces.choices import Role
from guanxi.workspaces.tests.factories import TeamFactory

pytestmark = pytest.mark.django_db


def test_admin_creates_a_rule_from_typed_conditions(admin):
    team = TeamFactory(workspace=admin.workspace, name="产品X组")
    response = ui_client(admin).post(
        reverse("assignment:create"),
        {
            "object_type": "lead",
            "name": "产品X → X组",
            "active": "on",
            "conditions": "product_interest eq X\nprovince in 上海，北京\nscore gte 60",
            "target_kind": "team",
            "target_team": team.pk,
            "strategy": "round_robin",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    rule = AssignmentRule.objects.get()
    assert rule.conditions == [
        {"field": "product_interest", "op": "eq", "value": "X"},
        {"field": "province", "op": "in", "value": ["上海", "北京"]},
        {"field": "score", "op": "gte", "value": "60"},
    ]
    assert (rule.workspace_id, rule.order, rule.target_team) == (admin.workspace_id, 1, team)
    assert AuditEvent.objects.filter(object_type="assignment.assignmentrule").count() == 1


@pytest.mark.parametrize(
    "conditions",
    ["priority high", "priority like high", "password eq x"],
    ids=["no-operator", "unknown-operator", "unknown-field"],
)
def test_bad_conditions_are_refused_on_the_form(conditions, admin):
    response = ui_client(admin).post(
        reverse("assignment:create"),
        {
            "object_type": "lead",
            "name": "r",
            "conditions": conditions,
            "target_kind": "strategy",
            "strategy": "round_robin",
        },
    )
    assert response.status_code == 200
    assert "conditions" in response.context["form"].errors
    assert not AssignmentRule.objects.exists()


def test_list_reorder_and_delete_with_confirmation(admin):
    first = AssignmentRuleFactory(workspace=admin.workspace, name="first", order=1)
    second = AssignmentRuleFactory(workspace=admin.workspace, name="second", order=2)
    client = ui_client(admin)
    page = client.get(reverse("assignment:list"))
    assert [r.name for r in page.context["tables"][0]["rules"]] == ["first", "second"]
    client.post(reverse("assignment:move", args=[second.pk]), {"direction": "up"})
    page = client.get(reverse("assignment:list"))
    assert [r.name for r in page.context["tables"][0]["rules"]] == ["second", "first"]
    assert client.get(reverse("assignment:delete", args=[first.pk])).status_code == 200
    assert AssignmentRule.objects.count() == 2
    client.post(reverse("assignment:delete", args=[first.pk]))
    assert list(AssignmentRule.objects.values_list("name", flat=True)) == ["second"]


def test_preview_page_names_the_rule_for_a_record(admin, member):
    rep = member(Role.SALES)
    AssignmentRuleFactory(
        workspace=admin.workspace,
        name="高优先级→资深",
        target_kind="user",
        target_user=rep.user,
        conditions=[{"field": "priority", "op": "eq", "value": "high"}],
    )
    lead = LeadFactory(workspace=admin.workspace, priority="high")
    response = ui_client(admin).get(
        reverse("assignment:preview"), {"object_type": "lead", "record": str(lead.pk)}
    )
    assert response.context["rule"].name == "高优先级→资深"
    assert response.context["user"] == rep.user
    lead.refresh_from_db()
    assert lead.owner_id is None


def test_preview_does_not_find_another_workspaces_record(admin, other_workspace):
    foreign = LeadFactory(workspace=other_workspace)
    response = ui_client(admin).get(
        reverse("assignment:preview"), {"object_type": "lead", "record": str(foreign.pk)}
    )
    assert response.context.get("record") is None
    assert "No record with this id" in response.content.decode()


@pytest.mark.parametrize("role", [Role.MANAGER, Role.SALES], ids=str)
def test_only_admins_change_rules(role, member):
    client = ui_client(member(role))
    response = client.post(reverse("assignment:create"), {"object_type": "lead", "name": "x"})
    assert response.status_code == 403
    assert not AssignmentRule.objects.exists()
