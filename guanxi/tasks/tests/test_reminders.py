"""Reminders go out once per due time, at the right moment, only for open tasks of active members."""

from datetime import UTC, datetime, timedelta

import pytest

from guanxi.notifications.models import Notification
from guanxi.tasks.choices import TaskStatus
from guanxi.tasks.models import Task
from guanxi.tasks.reminders import task_reminders_send
from guanxi.tasks.services import task_create, task_update
from guanxi.tasks.tasks import task_reminders
from guanxi.workspaces.choices import Role

pytestmark = pytest.mark.django_db

DUE = datetime(2026, 3, 2, 1, 30, tzinfo=UTC)  # 09:30 in Shanghai


@pytest.fixture
def rep(member, workspace):
    workspace.time_zone = "Asia/Shanghai"
    workspace.save()
    return member(Role.SALES)


def reminded(rep) -> list[Notification]:
    return list(Notification.objects.filter(recipient=rep.user))


def make(rep, **data):
    return task_create(
        workspace=rep.workspace,
        actor=rep.user,
        title="给王总打电话",
        due_at=DUE,
        remind_minutes_before=30,
        **data,
    )


def test_nothing_before_the_reminder_time_then_exactly_once(rep):
    task = make(rep)
    # a minute before the reminder time: nothing
    assert task_reminders_send(now=DUE - timedelta(minutes=31)) == 0
    assert reminded(rep) == []
    # at the reminder time: one notification, shown in the workspace's time zone
    assert task_reminders_send(now=DUE - timedelta(minutes=30)) == 1
    [notification] = reminded(rep)
    assert "给王总打电话" in notification.title
    assert "2026-03-02 09:30" in notification.body
    assert notification.url == task.get_absolute_url()
    # later runs send nothing more
    assert task_reminders_send(now=DUE) == 0
    assert task_reminders_send(now=DUE + timedelta(hours=1)) == 0
    assert len(reminded(rep)) == 1
    task.refresh_from_db()
    assert task.reminded_at == DUE - timedelta(minutes=30)


def test_the_periodic_job_is_idempotent(rep):
    make(rep)
    Task.objects.update(remind_at=DUE - timedelta(days=1))  # long due
    assert task_reminders.call_local() == 1
    assert task_reminders.call_local() == 0
    assert len(reminded(rep)) == 1


def test_moving_the_due_time_arms_a_new_reminder(rep):
    task = make(rep)
    task_reminders_send(now=DUE)
    task_update(task=task, actor=rep.user, data={"due_at": DUE + timedelta(days=1)})
    assert task_reminders_send(now=DUE + timedelta(hours=1)) == 0
    assert task_reminders_send(now=DUE + timedelta(days=1)) == 1
    assert len(reminded(rep)) == 2


def test_done_tasks_and_inactive_members_get_no_reminder(rep, member):
    make(rep, status=TaskStatus.DONE)
    gone = member(Role.SALES)
    task_create(
        workspace=rep.workspace,
        actor=rep.user,
        owner=gone.user,
        title="x",
        due_at=DUE,
        remind_minutes_before=0,
    )
    gone.is_active = False
    gone.save()
    Notification.objects.all().delete()
    assert task_reminders_send(now=DUE + timedelta(minutes=1)) == 0
    assert not Notification.objects.exists()


def test_a_reminder_marked_while_the_task_was_open_in_a_form_is_rearmed(rep):
    # given a task loaded before the job marked its reminder as sent
    task = make(rep)
    stale = Task.objects.get(pk=task.pk)
    task_reminders_send(now=DUE)
    # when that stale copy gets a new due time
    task_update(task=stale, actor=rep.user, data={"due_at": DUE + timedelta(days=1)})
    # then the new reminder still goes out
    assert task_reminders_send(now=DUE + timedelta(days=1)) == 1
