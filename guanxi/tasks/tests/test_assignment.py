"""Tasks through the shared assignment rule engine (object type "task")."""

import pytest

from guanxi.assignment.services import preview
from guanxi.assignment.tests.factories import AssignmentRuleFactory
from guanxi.audit.models import AuditEvent
from guanxi.notifications.models import Notification
from guanxi.tasks.models import Task
from guanxi.tasks.services import task_create
from guanxi.workspaces.choices import Role
from guanxi.workspaces.tests.factories import TeamFactory

pytestmark = pytest.mark.django_db


def test_urgent_tasks_go_to_the_rule_user_and_are_notified(workspace, member):
    manager, oncall = member(Role.MANAGER), member(Role.SERVICE)
    AssignmentRuleFactory(
        workspace=workspace,
        object_type="task",
        conditions=[{"field": "priority", "op": "eq", "value": "urgent"}],
        target_kind="user",
        target_user=oncall.user,
    )
    task = task_create(
        workspace=workspace,
        actor=manager.user,
        title="服务器宕机",
        priority="urgent",
        assign_by_rules=True,
    )
    task.refresh_from_db()
    assert task.owner == oncall.user
    assert Notification.objects.filter(recipient=oncall.user).count() == 1
    assert preview(task, object_type="task").target_user == oncall.user


def test_round_robin_within_a_team_alternates(workspace, member):
    team = TeamFactory(workspace=workspace)
    manager = member(Role.MANAGER)
    first, second = member(Role.SALES, team=team), member(Role.SALES, team=team)
    AssignmentRuleFactory(
        workspace=workspace, object_type="task", target_kind="team", target_team=team
    )
    owners = [
        task_create(
            workspace=workspace, actor=manager.user, title=f"t{i}", assign_by_rules=True
        ).owner_id
        for i in range(4)
    ]
    assert sorted(owners[:2]) == sorted([first.user_id, second.user_id])
    assert owners[2:] == owners[:2]


def test_without_a_matching_rule_the_actor_keeps_it(workspace, member):
    rep = member(Role.SALES)
    AssignmentRuleFactory(
        workspace=workspace,
        object_type="task",
        conditions=[{"field": "priority", "op": "eq", "value": "urgent"}],
        target_kind="user",
        target_user=member(Role.SALES).user,
    )
    task = task_create(workspace=workspace, actor=rep.user, title="普通任务", assign_by_rules=True)
    assert Task.objects.get(pk=task.pk).owner == rep.user
    assert not Notification.objects.exists()


def test_assign_by_rules_in_the_form_and_the_api(admin, member, api_client):
    from guanxi.core.testing_views import ui_client

    oncall = member(Role.SALES)
    AssignmentRuleFactory(
        workspace=admin.workspace,
        object_type="task",
        is_default=True,
        target_kind="user",
        target_user=oncall.user,
    )
    response = ui_client(admin).post(
        "/tasks/new/",
        {
            "title": "由规则分配",
            "kind": "todo",
            "priority": "normal",
            "status": "open",
            "assign_by_rules": "on",
        },
    )
    assert response.status_code == 302
    response = api_client(admin).post(
        "/api/v1/tasks/", {"title": "API 规则", "assign_by_rules": True}, format="json"
    )
    assert response.status_code == 201, response.json()
    assert response.json()["owner"]["id"] == str(oncall.user_id)
    assert set(Task.objects.values_list("owner_id", flat=True)) == {oncall.user_id}
    assert AuditEvent.objects.filter(object_type="tasks.task").exists()
