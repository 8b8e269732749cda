"""The tasks API: the shared API cases plus filters, hostile input, other workspaces' ids,
completing, comments and the metrics endpoint."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from guanxi.contacts.tests.factories import ContactFactory
from guanxi.core.testing import APIViewTestCases, row_state
from guanxi.notifications.models import Notification
from guanxi.tasks.choices import TaskStatus
from guanxi.tasks.models import Task
from guanxi.tasks.tests.factories import TaskFactory
from guanxi.workspaces.choices import Role
from guanxi.workspaces.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db
LIST_URL = "/api/v1/tasks/"


def detail(task, action: str = "") -> str:
    name = f"api:task-{action}" if action else "api:task-detail"
    return reverse(name, args=[task.pk])


class TestTaskAPI(APIViewTestCases):
    basename = "task"
    model = Task

    def make(self, workspace, **kwargs):
        return TaskFactory(workspace=workspace, **kwargs)

    def make_rich(self, workspace, *, owner):
        contact = ContactFactory(workspace=workspace)
        return TaskFactory(workspace=workspace, owner=owner, contact=contact, due_at=timezone.now())

    def create_payload(self):
        return {"title": "电话回访", "kind": "call", "priority": "high"}

    def update_payload(self):
        return {"title": "上门拜访", "kind": "meeting"}

    def test_put_replaces_the_row(self, admin, api_client) -> None:
        obj = self.make(admin.workspace)
        response = api_client(admin).put(self.detail_url(obj), self.create_payload(), format="json")
        assert response.status_code == 200, response.json()
        obj.refresh_from_db()
        assert (obj.title, obj.kind, obj.priority) == ("电话回访", "call", "high")


def test_done_and_cancelled_tasks_are_archived_unless_asked_for(admin, api_client):
    # given one open, one done and one cancelled task
    open_task = TaskFactory(workspace=admin.workspace)
    done = TaskFactory(workspace=admin.workspace, status=TaskStatus.DONE)
    TaskFactory(workspace=admin.workspace, status=TaskStatus.CANCELLED)
    client = api_client(admin)
    # then the list shows the open one only; asking for status or include_closed shows more
    ids = [row["id"] for row in client.get(LIST_URL).json()["results"]]
    assert ids == [str(open_task.pk)]
    ids = [row["id"] for row in client.get(LIST_URL, {"status": "done"}).json()["results"]]
    assert ids == [str(done.pk)]
    assert len(client.get(LIST_URL, {"include_closed": "true"}).json()["results"]) == 3


def test_overdue_and_linked_type_filters(admin, api_client):
    contact = ContactFactory(workspace=admin.workspace)
    late = TaskFactory(
        workspace=admin.workspace, contact=contact, due_at=timezone.now() - timedelta(hours=1)
    )
    TaskFactory(workspace=admin.workspace, due_at=timezone.now() + timedelta(hours=1))
    client = api_client(admin)
    rows = client.get(LIST_URL, {"overdue": "true"}).json()["results"]
    assert [row["id"] for row in rows] == [str(late.pk)]
    assert rows[0]["is_overdue"] is True
    rows = client.get(LIST_URL, {"linked_type": "contact"}).json()["results"]
    assert [row["id"] for row in rows] == [str(late.pk)]
    assert len(client.get(LIST_URL, {"linked_type": "none"}).json()["results"]) == 1


HOSTILE = {
    "title-missing": ({}, "title"),
    "title-long": ({"title": "字" * 201}, "title"),
    "title-list": ({"title": ["a"]}, "title"),
    "kind-unknown": ({"title": "t", "kind": "party"}, "kind"),
    "priority-unknown": ({"title": "t", "priority": "asap"}, "priority"),
    "status-unknown": ({"title": "t", "status": "maybe"}, "status"),
    "due-nonsense": ({"title": "t", "due_at": "2026-13-45"}, "due_at"),
    "remind-negative": (
        {"title": "t", "due_at": "2026-01-01T10:00Z", "remind_minutes_before": -5},
        "remind_minutes_before",
    ),
    "remind-huge": (
        {"title": "t", "due_at": "2026-01-01T10:00Z", "remind_minutes_before": 10**9},
        "remind_minutes_before",
    ),
    "remind-without-due": ({"title": "t", "remind_minutes_before": 10}, "remind_minutes_before"),
    "description-huge": ({"title": "t", "description": "字" * 10_001}, "description"),
    "contact-not-uuid": ({"title": "t", "contact": "../../etc"}, "contact"),
    "owner-not-uuid": ({"title": "t", "owner": 42}, "owner"),
}


@pytest.mark.parametrize("payload, field", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_input_is_a_400_on_the_field(payload, field, admin, api_client):
    response = api_client(admin).post(LIST_URL, payload, format="json")
    assert response.status_code == 400, response.json()
    assert field in response.json()["error"]["fields"]
    assert not Task.objects.exists()


def test_other_workspaces_ids_are_refused(admin, other_workspace, api_client):
    foreign_contact = ContactFactory(workspace=other_workspace)
    stranger = MembershipFactory(workspace=other_workspace)
    for payload, field in (
        ({"contact": str(foreign_contact.pk)}, "contact"),
        ({"owner": str(stranger.user_id)}, "owner"),
    ):
        response = api_client(admin).post(LIST_URL, {"title": "t", **payload}, format="json")
        assert response.status_code == 400
        assert list(response.json()["error"]["fields"]) == [field]
    assert not Task.objects.exists()


def test_html_in_the_title_is_returned_as_data(admin, api_client):
    response = api_client(admin).post(
        LIST_URL, {"title": "<script>alert(1)</script>"}, format="json"
    )
    assert response.status_code == 201
    assert response.json()["title"] == "<script>alert(1)</script>"
    assert response["Content-Type"] == "application/json"


def test_complete_records_the_outcome_and_completion_time(admin, api_client):
    task = TaskFactory(workspace=admin.workspace, owner=admin.user)
    response = api_client(admin).post(
        detail(task, "complete"), {"outcome": "客户已签约"}, format="json"
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["status"], body["outcome"]) == ("done", "客户已签约")
    assert body["completed_at"] is not None


def test_sales_may_not_complete_a_colleagues_task(member, api_client):
    rep, colleague = member(Role.SALES), member(Role.SALES)
    task = TaskFactory(workspace=rep.workspace, owner=colleague.user)
    before = row_state(task)
    response = api_client(rep).post(detail(task, "complete"), {}, format="json")
    assert response.status_code in (403, 404)
    assert row_state(task) == before


def test_comments_list_and_post_with_mentions(admin, member, api_client):
    # given a task and a colleague called li
    task = TaskFactory(workspace=admin.workspace, owner=admin.user)
    colleague = member(Role.SALES)
    colleague.user.username = "li"
    colleague.user.save()
    client = api_client(admin)
    # when a comment mentions @li
    response = client.post(detail(task, "comments"), {"body": "请 @li 跟进"}, format="json")
    # then the comment is stored with the mention and li is notified
    assert response.status_code == 201, response.json()
    assert [m["id"] for m in response.json()["mentioned"]] == [str(colleague.user_id)]
    assert Notification.objects.filter(recipient=colleague.user).count() == 1
    listed = client.get(detail(task, "comments")).json()
    assert [c["body"] for c in listed] == ["请 @li 跟进"]


def test_a_viewer_may_read_comments_but_not_post(member, api_client):
    viewer = member(Role.VIEWER)
    task = TaskFactory(workspace=viewer.workspace)
    client = api_client(viewer)
    assert client.get(detail(task, "comments")).status_code == 200
    assert client.post(detail(task, "comments"), {"body": "x"}, format="json").status_code == 403


def test_a_teammate_may_comment_on_a_task_they_see(member, api_client):
    from guanxi.workspaces.tests.factories import TeamFactory

    team = TeamFactory()
    rep = member(Role.SALES, team=team, in_workspace=team.workspace)
    colleague = member(Role.SALES, team=team, in_workspace=team.workspace)
    task = TaskFactory(workspace=team.workspace, owner=colleague.user)
    response = api_client(rep).post(detail(task, "comments"), {"body": "我来帮忙"}, format="json")
    assert response.status_code == 201, response.json()


def test_comment_of_another_workspaces_task_is_404(admin, other_workspace, api_client):
    foreign = TaskFactory(workspace=other_workspace)
    response = api_client(admin).post(detail(foreign, "comments"), {"body": "x"}, format="json")
    assert response.status_code == 404
    assert not foreign.comments.exists()


def test_metrics_endpoint_returns_the_page_figures(admin, api_client):
    due = timezone.now().replace(day=10, hour=4, minute=0, second=0, microsecond=0)
    TaskFactory(
        workspace=admin.workspace,
        owner=admin.user,
        due_at=due,
        status=TaskStatus.DONE,
        completed_at=due - timedelta(hours=1),
    )
    TaskFactory(workspace=admin.workspace, owner=admin.user, due_at=due)
    start = due.date().replace(day=1).isoformat()
    end = due.date().replace(day=28).isoformat()
    response = api_client(admin).get(
        "/api/v1/tasks/metrics/", {"start": start, "end": end, "group_by": "owner"}
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["total"]["due"] == 2
    assert body["total"]["completion_rate"] == 50.0
    assert body["total"]["on_time_rate"] == 100.0
    assert [row["key"] for row in body["rows"]] == [str(admin.user_id)]


def test_metrics_refuses_nonsense_dates(admin, api_client):
    response = api_client(admin).get("/api/v1/tasks/metrics/", {"start": "yesterday"})
    assert response.status_code == 400
