"""The rule engine: first match wins, the default rule, every operator, the three strategies,
manual override, preview, audit and notification (LEAD-3, TASK-2)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from guanxi.assignment.conditions import holds
from guanxi.assignment.models import AssignmentRule
from guanxi.assignment.services import assign, assign_many, preview, preview_user, rule_move
from guanxi.assignment.tests.factories import AssignmentRuleFactory
from guanxi.audit.models import AuditEvent
from guanxi.leads.models import Lead
from guanxi.leads.tests.factories import LeadFactory
from guanxi.notifications.models import Notification
from guanxi.workspaces.choices import Role
from guanxi.workspaces.tests.factories import TeamFactory

pytestmark = pytest.mark.django_db


def rule(workspace, **kwargs) -> AssignmentRule:
    return AssignmentRuleFactory(workspace=workspace, **kwargs)


def cond(field, op, value) -> dict:
    return {"field": field, "op": op, "value": value}


@pytest.fixture
def team_of_three(workspace, member):
    team = TeamFactory(workspace=workspace, name="华东销售")
    members = [member(Role.SALES, team=team) for _ in range(3)]
    return team, sorted((m.user for m in members), key=lambda user: user.pk)


# --- conditions ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("condition", "expected"),
    [
        (cond("priority", "eq", "high"), True),
        (cond("priority", "eq", "HIGH"), True),
        (cond("priority", "ne", "high"), False),
        (cond("province", "in", "上海, 北京"), True),
        (cond("province", "in", "广东，北京"), False),
        (cond("province", "in", ["上海"]), True),
        (cond("score", "gte", 80), True),
        (cond("score", "gte", "81"), False),
        (cond("score", "lte", 80), True),
        (cond("score", "gte", "lots"), False),
        (cond("product_interest", "contains", "ERP"), True),
        (cond("product_interest", "contains", "crm"), False),
        (cond("city", "eq", ""), True),
    ],
    ids=str,
)
def test_each_operator(condition, expected, workspace):
    lead = LeadFactory.build(
        workspace=workspace, priority="high", province="上海", score=80, product_interest="云ERP"
    )
    assert holds(condition, lead) is expected


# --- which rule fires ---------------------------------------------------------------------------
def test_the_first_matching_rule_wins_in_table_order(workspace, member):
    # given two matching rules, the lower order first
    senior, junior = member(Role.SALES).user, member(Role.SALES).user
    rule(
        workspace,
        name="any high",
        order=2,
        conditions=[cond("priority", "eq", "high")],
        target_kind="user",
        target_user=junior,
    )
    first = rule(
        workspace,
        name="high in 上海",
        order=1,
        conditions=[cond("priority", "eq", "high"), cond("province", "eq", "上海")],
        target_kind="user",
        target_user=senior,
    )
    lead = LeadFactory(workspace=workspace, priority="high", province="上海")
    # when
    result = assign(lead, object_type="lead", actor=None)
    # then
    assert (result.rule, result.user) == (first, senior)
    lead.refresh_from_db()
    assert lead.owner_id == senior.pk


def test_the_default_rule_fires_when_nothing_else_matches(workspace, member):
    fallback = member(Role.SALES).user
    rule(
        workspace,
        name="X",
        conditions=[cond("product_interest", "eq", "X")],
        target_kind="user",
        target_user=member(Role.SALES).user,
    )
    default = rule(
        workspace,
        name="otherwise",
        is_default=True,
        target_kind="user",
        target_user=fallback,
        order=0,
    )
    lead = LeadFactory(workspace=workspace, product_interest="Y")
    assert preview(lead, object_type="lead") == default
    assert assign(lead, object_type="lead", actor=None).user == fallback


def test_inactive_rules_and_other_workspaces_rules_are_ignored(workspace, other_workspace, member):
    rule(workspace, active=False, target_kind="user", target_user=member(Role.SALES).user)
    rule(other_workspace, target_kind="strategy")
    lead = LeadFactory(workspace=workspace)
    result = assign(lead, object_type="lead", actor=None)
    assert (result.rule, result.user) == (None, None)
    lead.refresh_from_db()
    assert lead.owner_id is None


def test_preview_names_the_rule_and_person_without_taking_a_turn(workspace, team_of_three):
    team, users = team_of_three
    r = rule(workspace, target_kind="team", target_team=team)
    lead = LeadFactory(workspace=workspace)
    assert preview(lead, object_type="lead") == r
    assert [preview_user(lead, rule=r) for _ in range(3)] == [users[0]] * 3
    assert assign(lead, object_type="lead", actor=None).user == users[0]
    assert preview_user(LeadFactory(workspace=workspace), rule=r) == users[1]


# --- strategies ---------------------------------------------------------------------------------
def test_round_robin_goes_around_the_team_in_turn(workspace, team_of_three):
    team, users = team_of_three
    rule(workspace, target_kind="team", target_team=team, strategy="round_robin")
    picked = [
        assign(LeadFactory(workspace=workspace), object_type="lead", actor=None).user
        for _ in range(7)
    ]
    assert picked == [*users, *users, users[0]]


def test_round_robin_continues_after_a_restart_from_the_database_cursor(workspace, team_of_three):
    # given two leads assigned "before a restart" (each assign() starts a fresh engine)
    team, users = team_of_three
    rule(workspace, target_kind="team", target_team=team)
    for _ in range(2):
        assign(LeadFactory(workspace=workspace), object_type="lead", actor=None)
    # when the next one comes
    result = assign(LeadFactory(workspace=workspace), object_type="lead", actor=None)
    # then it is the third member's turn, not the first's again
    assert result.user == users[2]


def test_round_robin_skips_deactivated_members_and_viewers(workspace, member, team_of_three):
    team, users = team_of_three
    member(Role.VIEWER, team=team)
    users[1].memberships.update(is_active=False)
    rule(workspace, target_kind="team", target_team=team)
    picked = [
        assign(LeadFactory(workspace=workspace), object_type="lead", actor=None).user
        for _ in range(4)
    ]
    assert picked == [users[0], users[2], users[0], users[2]]


def test_least_load_picks_the_member_with_fewest_open_leads(workspace, team_of_three):
    team, users = team_of_three
    for user, count in zip(users, (3, 1, 2), strict=True):
        for _ in range(count):
            LeadFactory(workspace=workspace, owner=user, status="working")
    # closed leads are not load
    LeadFactory.create_batch(5, workspace=workspace, owner=users[1], status="unqualified")
    rule(workspace, target_kind="team", target_team=team, strategy="least_load")
    picked = [
        assign(LeadFactory(workspace=workspace), object_type="lead", actor=None).user
        for _ in range(3)
    ]
    # 3/1/2 → users[1] (→2), then users[1] again? no: tie 2/2 goes to the earlier member
    assert picked == [users[1], users[1], users[2]]


def test_skill_match_prefers_members_with_the_skill_then_least_load(workspace, team_of_three):
    team, users = team_of_three
    users[0].skills = ["CRM"]
    users[2].skills = ["erp", "CRM"]
    for user in (users[0], users[2]):
        user.save()
    LeadFactory(workspace=workspace, owner=users[0], status="new")
    rule(workspace, target_kind="team", target_team=team, strategy="skill_match")
    erp = assign(
        LeadFactory(workspace=workspace, product_interest="ERP"), object_type="lead", actor=None
    )
    crm = assign(
        LeadFactory(workspace=workspace, product_interest="crm"), object_type="lead", actor=None
    )
    # nobody knows "BI": least load over the whole team
    bi = assign(
        LeadFactory(workspace=workspace, product_interest="BI"), object_type="lead", actor=None
    )
    assert (erp.user, crm.user, bi.user) == (users[2], users[0], users[1])


# --- manual override, audit, notification -----------------------------------------------------
def test_manual_override_wins_over_rules_and_is_audited_and_notified(workspace, member):
    boss, rep = member(Role.MANAGER), member(Role.SALES)
    rule(workspace, is_default=True, target_kind="user", target_user=boss.user)
    lead = LeadFactory(workspace=workspace)
    result = assign(lead, object_type="lead", actor=boss.user, manual_user=rep.user)
    assert (result.rule, result.user, result.manual) == (None, rep.user, True)
    lead.refresh_from_db()
    assert lead.owner_id == rep.user_id
    event = AuditEvent.objects.filter(object_id=str(lead.pk), action="update").get()
    assert event.changes["owner"][1] == str(rep.user_id)
    note = Notification.objects.get(recipient=rep.user)
    assert lead.name in note.title and note.url == lead.get_absolute_url()


def test_manual_override_refuses_someone_outside_the_workspace(workspace, other_workspace, member):
    stranger = member(Role.SALES, in_workspace=other_workspace).user
    lead = LeadFactory(workspace=workspace)
    with pytest.raises(ValidationError):
        assign(lead, object_type="lead", actor=None, manual_user=stranger)
    lead.refresh_from_db()
    assert lead.owner_id is None


def test_assigning_yourself_sends_no_notification(workspace, member):
    rep = member(Role.SALES).user
    assign(LeadFactory(workspace=workspace), object_type="lead", actor=rep, manual_user=rep)
    assert not Notification.objects.exists()


# --- the rule table -----------------------------------------------------------------------------
def test_rules_validate_fields_operators_and_targets(workspace, other_workspace):
    foreign_team = TeamFactory(workspace=other_workspace)
    bad = AssignmentRule(
        workspace=workspace,
        object_type="lead",
        name="bad",
        conditions=[cond("password", "eq", "x")],
        target_kind="team",
        target_team=foreign_team,
    )
    with pytest.raises(ValidationError) as caught:
        bad.full_clean()
    assert set(caught.value.message_dict) == {"conditions", "target_team"}
    bad.conditions = [{"field": "priority", "op": "regex", "value": ".*"}]
    with pytest.raises(ValidationError):
        bad.full_clean()


def test_move_swaps_a_rule_with_its_neighbour(workspace):
    *_, last = (rule(workspace, name=name) for name in "abc")
    assert rule_move(rule=last, actor=None, up=True)
    assert list(AssignmentRule.objects.order_by("order").values_list("name", flat=True)) == [
        "a",
        "c",
        "b",
    ]
    assert not rule_move(rule=AssignmentRule.objects.get(name="a"), actor=None, up=True)


# --- the bulk path ------------------------------------------------------------------------------
def test_assign_many_continues_the_round_robin_and_audits_and_notifies(workspace, team_of_three):
    # given one lead already assigned through the single path
    team, users = team_of_three
    rule(workspace, target_kind="team", target_team=team)
    assign(LeadFactory(workspace=workspace), object_type="lead", actor=None)
    leads = LeadFactory.create_batch(5, workspace=workspace)
    # when five more are routed in one batch
    results = assign_many(leads, object_type="lead", actor=None)
    # then the turn carries on from the cursor, and the next single assignment follows the batch
    assert [r.user for r in results] == [users[1], users[2], users[0], users[1], users[2]]
    assert assign(LeadFactory(workspace=workspace), object_type="lead", actor=None).user == users[0]
    owners = dict(
        Lead.objects.filter(pk__in=[lead.pk for lead in leads]).values_list("pk", "owner")
    )
    assert [owners[lead.pk] for lead in leads] == [r.user.pk for r in results]
    assert (
        AuditEvent.objects.filter(
            object_id__in=[str(lead.pk) for lead in leads], action="update"
        ).count()
        == 5
    )
    assert Notification.objects.count() == 7
