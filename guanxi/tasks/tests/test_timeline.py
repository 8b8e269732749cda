"""Tasks in the contact and company timelines (kind "task")."""

from datetime import timedelta

import pytest
from django.utils import timezone

from guanxi.companies.tests.factories import CompanyFactory
from guanxi.contacts.tests.factories import ContactFactory
from guanxi.tasks.tests.factories import TaskFactory
from guanxi.tasks.timeline import task_entries
from guanxi.workspaces.choices import Role

pytestmark = pytest.mark.django_db


def test_company_timeline_includes_its_peoples_tasks_newest_first(admin):
    company = CompanyFactory(workspace=admin.workspace)
    contact = ContactFactory(workspace=admin.workspace, company=company)
    older = TaskFactory(workspace=admin.workspace, company=company, title="公司任务")
    newer = TaskFactory(workspace=admin.workspace, contact=contact, title="联系人任务")
    TaskFactory(workspace=admin.workspace, title="无关任务")
    entries = task_entries(company, admin, None, 10)
    assert [e.title for e in entries] == ["联系人任务", "公司任务"]
    assert {e.kind for e in entries} == {"task"}
    assert entries[0].url == newer.get_absolute_url()
    # the cursor: strictly older than `before`
    assert [e.title for e in task_entries(company, admin, newer.created_at, 10)] == ["公司任务"]
    assert task_entries(company, admin, older.created_at - timedelta(seconds=1), 10) == []


def test_a_sales_rep_sees_only_the_tasks_they_may_see(member, workspace):
    rep, other = member(Role.SALES), member(Role.SALES)
    contact = ContactFactory(workspace=workspace)
    TaskFactory(workspace=workspace, contact=contact, owner=other.user, due_at=timezone.now())
    mine = TaskFactory(workspace=workspace, contact=contact, owner=rep.user)
    assert [e.url for e in task_entries(contact, rep, None, 10)] == [mine.get_absolute_url()]
