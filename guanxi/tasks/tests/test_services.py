"""Task services: create (idempotent by key), derived completion and reminder times, notifications."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from guanxi.contacts.tests.factories import ContactFactory
from guanxi.notifications.models import Notification
from guanxi.tasks.choices import TaskStatus
from guanxi.tasks.models import Task
from guanxi.tasks.services import task_complete, task_create, task_update
from guanxi.workspaces.choices import Role

pytestmark = pytest.mark.django_db


def test_create_defaults_the_assignee_to_the_actor_and_notifies_nobody(workspace, member):
    # given a sales rep
    rep = member(Role.SALES)
    # when they create a task for themselves
    task = task_create(workspace=workspace, actor=rep.user, title="准备报价单")
    # then they are the assignee and get no notification about their own action
    assert task.owner == rep.user
    assert task.status == TaskStatus.OPEN
    assert not Notification.objects.exists()


def test_create_for_someone_else_notifies_the_assignee(workspace, member):
    manager, rep = member(Role.MANAGER), member(Role.SALES)
    task = task_create(workspace=workspace, actor=manager.user, title="拜访客户", owner=rep.user)
    notification = Notification.objects.get()
    assert notification.recipient == rep.user
    assert "拜访客户" in notification.title
    assert notification.url == task.get_absolute_url()


def test_dedupe_key_makes_a_repeat_return_the_same_task(workspace, member):
    # given a job that creates a stagnation task with a key
    rep = member(Role.SALES)
    first = task_create(
        workspace=workspace, actor=None, owner=rep.user, title="商机停滞", dedupe_key="stag:1"
    )
    # when it runs again with the same key
    second = task_create(
        workspace=workspace, actor=None, owner=rep.user, title="商机停滞", dedupe_key="stag:1"
    )
    # then there is still one task and one notification
    assert first.pk == second.pk
    assert Task.objects.count() == 1
    assert Notification.objects.filter(recipient=rep.user).count() == 1


def test_dedupe_key_is_per_workspace(workspace, other_workspace, member):
    task_create(workspace=workspace, actor=None, title="a", dedupe_key="k")
    task_create(workspace=other_workspace, actor=None, title="b", dedupe_key="k")
    assert Task.objects.count() == 2


def test_status_done_records_completion_and_reopening_clears_it(workspace, member):
    rep = member(Role.SALES)
    task = task_create(workspace=workspace, actor=rep.user, title="跟进")
    task_complete(task=task, actor=rep.user, outcome="客户同意下周演示")
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE
    assert task.completed_at is not None
    assert task.outcome == "客户同意下周演示"
    completed = task.completed_at
    # completing again changes nothing
    task_complete(task=task, actor=rep.user)
    task.refresh_from_db()
    assert task.completed_at == completed
    task_update(task=task, actor=rep.user, data={"status": TaskStatus.OPEN})
    task.refresh_from_db()
    assert task.completed_at is None


def test_reminder_time_follows_the_due_time_and_is_rearmed(workspace, member):
    rep = member(Role.SALES)
    due = timezone.now() + timedelta(hours=3)
    task = task_create(
        workspace=workspace, actor=rep.user, title="会议", due_at=due, remind_minutes_before=30
    )
    assert task.remind_at == due - timedelta(minutes=30)
    Task.objects.filter(pk=task.pk).update(reminded_at=timezone.now())
    task.refresh_from_db()
    # moving the due time arms the reminder again
    task_update(task=task, actor=rep.user, data={"due_at": due + timedelta(days=1)})
    task.refresh_from_db()
    assert task.remind_at == due + timedelta(days=1) - timedelta(minutes=30)
    assert task.reminded_at is None


def test_reminder_without_due_time_is_refused(workspace, member):
    rep = member(Role.SALES)
    with pytest.raises(ValidationError) as error:
        task_create(workspace=workspace, actor=rep.user, title="x", remind_minutes_before=10)
    assert "remind_minutes_before" in error.value.message_dict


def test_linked_record_of_another_workspace_is_refused(workspace, other_workspace, member):
    rep = member(Role.SALES)
    foreign = ContactFactory(workspace=other_workspace)
    with pytest.raises(ValidationError) as error:
        task_create(workspace=workspace, actor=rep.user, title="x", contact=foreign)
    assert "contact" in error.value.message_dict


def test_change_by_someone_else_notifies_the_assignee(workspace, member):
    manager, rep = member(Role.MANAGER), member(Role.SALES)
    task = task_create(workspace=workspace, actor=rep.user, title="跟进")
    task_update(task=task, actor=manager.user, data={"priority": "high"})
    assert Notification.objects.filter(recipient=rep.user, title__contains="changed").count() == 1
    # an update that changes nothing sends nothing
    task_update(task=task, actor=manager.user, data={"priority": "high"})
    assert Notification.objects.filter(recipient=rep.user).count() == 1


def test_reassigning_notifies_the_new_assignee(workspace, member):
    manager, rep, other = member(Role.MANAGER), member(Role.SALES), member(Role.SALES)
    task = task_create(workspace=workspace, actor=manager.user, title="跟进", owner=rep.user)
    task_update(task=task, actor=manager.user, data={"owner": other.user})
    assert Notification.objects.filter(recipient=other.user).count() == 1
