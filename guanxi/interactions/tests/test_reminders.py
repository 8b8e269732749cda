"""The overdue follow-up job: one notification per interaction and due date, however often it runs."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from guanxi.interactions.reminders import overdue_follow_ups_notify
from guanxi.interactions.tasks import follow_ups_overdue_notify
from guanxi.interactions.tests.factories import InteractionFactory
from guanxi.notifications.models import Notification
from guanxi.workspaces.choices import Role

pytestmark = pytest.mark.django_db
# 2026-03-10 01:00 in Shanghai
NOW = datetime(2026, 3, 9, 17, 0, tzinfo=UTC)


def test_each_overdue_follow_up_notifies_its_owner_once(admin, member, workspace):
    # given follow-ups overdue, due today, done, unowned, and one of a departed member
    sales = member(Role.SALES)
    overdue = InteractionFactory(
        workspace=workspace, owner=sales.user, subject="回访王总", next_follow_up=date(2026, 3, 9)
    )
    InteractionFactory(workspace=workspace, owner=sales.user, next_follow_up=date(2026, 3, 10))
    InteractionFactory(
        workspace=workspace, owner=sales.user, next_follow_up=date(2026, 3, 1), follow_up_done=True
    )
    InteractionFactory(workspace=workspace, owner=None, next_follow_up=date(2026, 3, 1))
    departed = member(Role.SALES)
    departed.is_active = False
    departed.save()
    InteractionFactory(workspace=workspace, owner=departed.user, next_follow_up=date(2026, 3, 1))

    # when the job runs three times
    sent = [overdue_follow_ups_notify(now=NOW) for _ in range(3)]

    # then only the first run notified, the owner, once
    assert sent == [1, 0, 0]
    notification = Notification.objects.get()
    assert (notification.recipient_id, notification.workspace_id) == (sales.user_id, workspace.pk)
    assert notification.url == overdue.get_absolute_url()
    assert "回访王总" in notification.title


def test_the_day_is_the_workspaces_day(member, workspace):
    # given a follow-up due on 10 March, at 01:00 on 10 March in Shanghai (still 9 March in UTC)
    InteractionFactory(
        workspace=workspace, owner=member(Role.SALES).user, next_follow_up=date(2026, 3, 9)
    )
    workspace.time_zone = "America/New_York"  # there it is still 9 March: not overdue yet
    workspace.save()
    assert overdue_follow_ups_notify(now=NOW) == 0
    workspace.time_zone = "Asia/Shanghai"
    workspace.save()
    assert overdue_follow_ups_notify(now=NOW) == 1


def test_a_rescheduled_follow_up_can_be_overdue_again(member, workspace):
    interaction = InteractionFactory(
        workspace=workspace, owner=member(Role.SALES).user, next_follow_up=date(2026, 3, 1)
    )
    overdue_follow_ups_notify(now=NOW)
    interaction.next_follow_up = date(2026, 3, 5)
    interaction.save()
    assert overdue_follow_ups_notify(now=NOW) == 1
    assert Notification.objects.count() == 2


def test_the_text_is_written_in_the_workspaces_language(member, workspace, monkeypatch):
    # the .po files are merged later: record which language was active while writing the title
    from guanxi.interactions import reminders

    monkeypatch.setattr(
        reminders, "_", lambda text: f"[{reminders.translation.get_language()}]{text}"
    )
    workspace.language = "zh-hans"
    workspace.save()
    InteractionFactory(
        workspace=workspace, owner=member(Role.SALES).user, next_follow_up=date(2000, 1, 1)
    )
    overdue_follow_ups_notify()
    notification = Notification.objects.get()
    assert notification.title.startswith("[zh-hans]Follow-up overdue: ")
    assert notification.body == "[zh-hans]The follow-up was due on 2000-01-01."


def test_the_periodic_task_runs_the_job(member, workspace):
    InteractionFactory(
        workspace=workspace, owner=member(Role.SALES).user, next_follow_up=date(2000, 1, 1)
    )
    follow_ups_overdue_notify.call_local()
    follow_ups_overdue_notify.call_local()
    assert Notification.objects.count() == 1
