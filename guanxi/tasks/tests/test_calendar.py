"""Calendar placement: weeks start on Monday and days are the workspace's, not the server's."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from guanxi.tasks.calendar import MONTH, WEEK, calendar_grid, period_bounds
from guanxi.tasks.models import Task
from guanxi.tasks.tests.factories import TaskFactory

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_week_bounds_start_on_monday():
    # 2026-03-04 is a Wednesday
    start, end, previous, following = period_bounds(date(2026, 3, 4), WEEK)
    assert (start, end) == (date(2026, 3, 2), date(2026, 3, 9))
    assert (previous, following) == (date(2026, 2, 23), date(2026, 3, 9))


def test_month_grid_is_whole_weeks():
    start, end, previous, following = period_bounds(date(2026, 3, 15), MONTH)
    # March 2026: Sunday the 1st … Tuesday the 31st
    assert (start, end) == (date(2026, 2, 23), date(2026, 4, 6))
    assert (previous, following) == (date(2026, 2, 1), date(2026, 4, 1))


def test_sunday_night_in_shanghai_is_sunday_not_the_next_weeks_monday(workspace):
    # given a task due Sunday 8 March 23:30 in Shanghai (15:30 UTC) and one due Monday 00:30
    sunday = TaskFactory(workspace=workspace, due_at=datetime(2026, 3, 8, 23, 30, tzinfo=SHANGHAI))
    monday = TaskFactory(workspace=workspace, due_at=datetime(2026, 3, 9, 0, 30, tzinfo=SHANGHAI))
    tasks = Task.objects.filter(workspace=workspace)
    # when the week of 2 March is shown in Shanghai
    grid = calendar_grid(
        tasks=tasks, anchor=date(2026, 3, 4), mode=WEEK, zone=SHANGHAI, today=date(2026, 3, 4)
    )
    # then Sunday's task is on the week's last day and Monday's is not in this week at all
    [week] = grid.weeks
    assert [cell.day.weekday() for cell in week] == list(range(7))
    assert week[6].tasks == [sunday]
    assert all(monday not in cell.tasks for cell in week)
    assert week[2].is_today
    # and in UTC (a workspace in London in winter) both fall on Sunday of that week
    grid = calendar_grid(
        tasks=tasks,
        anchor=date(2026, 3, 4),
        mode=WEEK,
        zone=ZoneInfo("UTC"),
        today=date(2026, 3, 4),
    )
    assert grid.weeks[0][6].tasks == [sunday, monday]


def test_month_marks_days_outside_the_month(workspace):
    TaskFactory(workspace=workspace, due_at=datetime(2026, 2, 25, 3, tzinfo=UTC))
    grid = calendar_grid(
        tasks=Task.objects.all(),
        anchor=date(2026, 3, 1),
        mode=MONTH,
        zone=UTC,
        today=date(2026, 3, 1),
    )
    first = grid.weeks[0]
    assert first[2].day == date(2026, 2, 25)
    assert not first[2].in_period and len(first[2].tasks) == 1
    assert len(grid.weeks) == 6


def test_a_busy_day_shows_ten_and_links_the_rest(admin):
    from guanxi.core.testing_views import ui_client

    due = datetime(2026, 3, 4, 2, tzinfo=UTC)
    for i in range(12):
        TaskFactory(workspace=admin.workspace, owner=admin.user, due_at=due, title=f"任务{i}")
    response = ui_client(admin).get("/tasks/calendar/", {"mode": "week", "day": "2026-03-04"})
    cell = response.context["grid"].weeks[0][2]
    assert (len(cell.tasks), cell.hidden) == (10, 2)
    assert (
        "/tasks/mine/?due_after=2026-03-04&amp;due_before=2026-03-04" in response.content.decode()
    )
