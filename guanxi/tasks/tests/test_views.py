"""Task pages: the shared view checks, my/team lists, calendar and metrics pages, comments by
htmx, completing, the panel on contact and company pages and the home page block."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from guanxi.companies.tests.factories import CompanyFactory
from guanxi.contacts.tests.factories import ContactFactory
from guanxi.core.testing import row_state
from guanxi.core.testing_views import ViewTestCases, ui_client
from guanxi.notifications.models import Notification
from guanxi.tasks.choices import TaskStatus
from guanxi.tasks.models import Task
from guanxi.tasks.tests.factories import TaskCommentFactory, TaskFactory
from guanxi.workspaces.choices import Role
from guanxi.workspaces.tests.factories import TeamFactory

pytestmark = pytest.mark.django_db

FORM = {
    "title": "准备方案",
    "kind": "todo",
    "priority": "high",
    "status": "open",
    "due_at": "2026-03-01T10:30",
    "remind_minutes_before": "30",
}


class TestTaskViews(ViewTestCases):
    namespace = "tasks"
    model = Task

    def make(self, workspace, **kwargs: Any) -> Task:
        return TaskFactory(workspace=workspace, **kwargs)

    def make_rich(self, workspace, *, owner) -> Task:
        company = CompanyFactory(workspace=workspace)
        contact = ContactFactory(workspace=workspace, company=company)
        return self.make(
            workspace, owner=owner, contact=contact, company=company, due_at=timezone.now()
        )

    def create_data(self) -> dict[str, Any]:
        return dict(FORM)

    def update_data(self, obj) -> dict[str, Any]:
        return {**FORM, "title": f"{obj.title}（改）", "owner": obj.owner_id or ""}


def test_my_tasks_shows_mine_and_team_tasks_shows_the_teams(member):
    team = TeamFactory()
    rep = member(Role.SALES, team=team, in_workspace=team.workspace)
    colleague = member(Role.SALES, team=team, in_workspace=team.workspace)
    stranger = member(Role.SALES, in_workspace=team.workspace)
    mine = TaskFactory(workspace=team.workspace, owner=rep.user, title="我的任务")
    theirs = TaskFactory(workspace=team.workspace, owner=colleague.user, title="同事的任务")
    TaskFactory(workspace=team.workspace, owner=stranger.user, title="别组的任务")
    client = ui_client(rep)
    response = client.get(reverse("tasks:mine"))
    assert list(response.context["object_list"]) == [mine]
    response = client.get(reverse("tasks:list"))
    assert set(response.context["object_list"]) == {mine, theirs}


def test_the_list_hides_archived_tasks_and_sorts_by_due_time(admin):
    later = TaskFactory(
        workspace=admin.workspace, owner=admin.user, due_at=timezone.now() + timedelta(days=2)
    )
    sooner = TaskFactory(
        workspace=admin.workspace, owner=admin.user, due_at=timezone.now() + timedelta(days=1)
    )
    undated = TaskFactory(workspace=admin.workspace, owner=admin.user)
    TaskFactory(workspace=admin.workspace, owner=admin.user, status=TaskStatus.DONE)
    response = ui_client(admin).get(reverse("tasks:mine"))
    assert list(response.context["object_list"]) == [sooner, later, undated]


def test_create_from_a_contact_page_links_the_contact(admin):
    contact = ContactFactory(workspace=admin.workspace)
    client = ui_client(admin)
    page = client.get(f"{reverse('tasks:create')}?contact={contact.pk}")
    assert page.context["form"]["contact"].value() == contact.pk
    response = client.post(
        f"{reverse('tasks:create')}?contact={contact.pk}", {**FORM, "contact": contact.pk}
    )
    assert response.status_code == 302
    assert Task.objects.get().contact == contact


def test_complete_with_feedback(admin):
    task = TaskFactory(workspace=admin.workspace, owner=admin.user)
    response = ui_client(admin).post(
        reverse("tasks:complete", args=[task.pk]), {"outcome": "已发送报价"}
    )
    assert response.status_code == 302
    task.refresh_from_db()
    assert (task.status, task.outcome) == (TaskStatus.DONE, "已发送报价")
    assert task.completed_at is not None


def test_sales_may_not_complete_a_colleagues_task(member):
    team = TeamFactory()
    rep = member(Role.SALES, team=team, in_workspace=team.workspace)
    colleague = member(Role.SALES, team=team, in_workspace=team.workspace)
    task = TaskFactory(workspace=team.workspace, owner=colleague.user)
    before = row_state(task)
    response = ui_client(rep).post(reverse("tasks:complete", args=[task.pk]), {})
    assert response.status_code == 403
    assert row_state(task) == before


def test_htmx_comment_answers_the_list_with_the_mention_escaped(admin, member):
    colleague = member(Role.SALES)
    task = TaskFactory(workspace=admin.workspace, owner=admin.user)
    body = f"<b>bold?</b> @{colleague.user.username} 请看"
    response = ui_client(admin).post(
        reverse("tasks:comment", args=[task.pk]), {"body": body}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "&lt;b&gt;bold?&lt;/b&gt;" in html
    assert f'<strong class="text-primary">@{colleague.user.username}</strong>' in html
    assert Notification.objects.filter(recipient=colleague.user).count() == 1


def test_a_viewer_cannot_comment(member):
    viewer = member(Role.VIEWER)
    task = TaskFactory(workspace=viewer.workspace)
    response = ui_client(viewer).post(reverse("tasks:comment", args=[task.pk]), {"body": "x"})
    assert response.status_code == 403
    assert not task.comments.exists()


def test_detail_runs_a_fixed_number_of_queries_for_comments(admin, member):
    task = TaskFactory(workspace=admin.workspace, owner=admin.user)
    client = ui_client(admin)
    TaskCommentFactory(task=task, author=admin.user)
    client.get(task.get_absolute_url())
    with CaptureQueriesContext(connection) as one:
        client.get(task.get_absolute_url())
    for _ in range(10):
        comment = TaskCommentFactory(task=task, author=member(Role.SALES).user)
        comment.mentioned.set([admin.user])
    with CaptureQueriesContext(connection) as many:
        response = client.get(task.get_absolute_url())
    assert len(response.context["comments"]) == 11
    assert len(many) == len(one)


def test_calendar_places_tasks_and_navigates(admin):
    admin.workspace.time_zone = "Asia/Shanghai"
    admin.workspace.save()
    due = datetime(2026, 3, 8, 15, 30, tzinfo=UTC)  # Sunday 23:30 there
    TaskFactory(workspace=admin.workspace, owner=admin.user, due_at=due, title="周日晚上")
    response = ui_client(admin).get(
        reverse("tasks:calendar"), {"mode": "week", "day": "2026-03-04"}
    )
    assert response.status_code == 200
    week = response.context["grid"].weeks[0]
    assert [t.title for t in week[6].tasks] == ["周日晚上"]
    html = response.content.decode()
    assert "day=2026-02-23" in html and "day=2026-03-09" in html
    assert "<script>" not in html.split("</main>")[0].split("<main")[-1]
    assert ' style="' not in html


def test_calendar_query_count_does_not_grow_with_tasks(admin):
    client = ui_client(admin)
    params = {"mode": "month", "day": timezone.localdate().isoformat()}
    TaskFactory(workspace=admin.workspace, owner=admin.user, due_at=timezone.now())
    client.get(reverse("tasks:calendar"), params)
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("tasks:calendar"), params)
    for _ in range(20):
        TaskFactory(workspace=admin.workspace, owner=admin.user, due_at=timezone.now())
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("tasks:calendar"), params)
    assert len(many) == len(one)


def test_calendar_ignores_a_nonsense_day(admin):
    response = ui_client(admin).get(reverse("tasks:calendar"), {"day": "<script>", "mode": "x"})
    assert response.status_code == 200
    assert response.context["mode"] == "month"


def test_metrics_page_shows_the_rates(admin):
    now = timezone.now()
    TaskFactory(
        workspace=admin.workspace,
        owner=admin.user,
        due_at=now,
        status=TaskStatus.DONE,
        completed_at=now - timedelta(minutes=5),
    )
    response = ui_client(admin).get(reverse("tasks:metrics"))
    assert response.status_code == 200
    assert response.context["total"].completion_rate == 100
    assert "100.0%" in response.content.decode()


@pytest.mark.parametrize("model", ["contact", "company"])
def test_panel_quick_add_by_htmx(model, admin):
    record = (ContactFactory if model == "contact" else CompanyFactory)(workspace=admin.workspace)
    response = ui_client(admin).post(
        reverse(f"tasks:quick_{model}", args=[record.pk]),
        {"title": "回电话", "kind": "call", "priority": "normal", "owner": admin.user_id},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert response["HX-Trigger"] == "taskAdded, interactionLogged"
    task = Task.objects.get()
    assert getattr(task, model) == record
    assert "回电话" in response.content.decode()


def test_panel_on_the_contact_page_runs_a_fixed_number_of_queries(admin):
    contact = ContactFactory(workspace=admin.workspace)
    client = ui_client(admin)
    TaskFactory(workspace=admin.workspace, contact=contact, owner=admin.user)
    client.get(contact.get_absolute_url())
    with CaptureQueriesContext(connection) as one:
        client.get(contact.get_absolute_url())
    for _ in range(10):
        TaskFactory(workspace=admin.workspace, contact=contact, owner=admin.user)
    with CaptureQueriesContext(connection) as many:
        response = client.get(contact.get_absolute_url())
    assert "tasks/panels/_tasks.html" in [t.name for t in response.templates]
    assert len(many) == len(one)


def test_home_shows_my_tasks_due(admin):
    TaskFactory(
        workspace=admin.workspace,
        owner=admin.user,
        due_at=timezone.now() - timedelta(hours=2),
        title="逾期的任务",
    )
    response = ui_client(admin).get(reverse("home"))
    html = response.content.decode()
    assert "My tasks due" in html
    assert "逾期的任务" in html


def test_quick_add_on_a_lead_page_and_a_foreign_lead_is_404(admin, other_workspace):
    from guanxi.leads.tests.factories import LeadFactory

    lead = LeadFactory(workspace=admin.workspace)
    foreign = LeadFactory(workspace=other_workspace)
    data = {"title": "首次联系", "kind": "call", "priority": "normal", "owner": admin.user_id}
    client = ui_client(admin)
    assert client.post(reverse("tasks:quick_lead", args=[foreign.pk]), data).status_code == 404
    response = client.post(reverse("tasks:quick_lead", args=[lead.pk]), data)
    assert response.status_code == 302
    assert Task.objects.get().lead == lead
