"""Task metrics on a fixture set: every figure checked by hand."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from guanxi.tasks.choices import TaskStatus
from guanxi.tasks.metrics import OWNER, TEAM, rate, task_metrics
from guanxi.tasks.tests.factories import TaskFactory
from guanxi.workspaces.choices import Role
from guanxi.workspaces.tests.factories import TeamFactory

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
MARCH = (date(2026, 3, 1), date(2026, 3, 31))


def at(day: int, hour: int = 10) -> datetime:
    return datetime(2026, 3, day, hour, tzinfo=SHANGHAI)


def task(owner, *, due, created, done_at=None, status=None):
    made = TaskFactory(
        workspace=owner.memberships.first().workspace,
        owner=owner,
        due_at=due,
        status=status or (TaskStatus.DONE if done_at else TaskStatus.OPEN),
        completed_at=done_at,
    )
    type(made).objects.filter(pk=made.pk).update(created_at=created)
    return made


@pytest.fixture
def fixture_set(member, workspace):
    """zhang: 4 due in March, 3 done (2 on time), handling 2 h, 4 h, 6 h → mean 4 h;
    li: 2 due, 1 done late after 10 h; one cancelled and one April task that do not count."""
    north, south = TeamFactory(workspace=workspace), TeamFactory(workspace=workspace)
    zhang = member(Role.SALES, team=north).user
    li = member(Role.SALES, team=south).user
    task(zhang, due=at(5), created=at(5, 8), done_at=at(5, 10))  # on time, 2 h
    task(zhang, due=at(6), created=at(6, 6), done_at=at(6, 10))  # exactly on time, 4 h
    task(zhang, due=at(7), created=at(7, 8), done_at=at(7, 14))  # late, 6 h
    task(zhang, due=at(8), created=at(1))  # open
    task(zhang, due=at(9), created=at(1), status=TaskStatus.CANCELLED)  # left out
    task(zhang, due=datetime(2026, 4, 1, 0, 30, tzinfo=SHANGHAI), created=at(1))  # April
    task(li, due=at(10), created=at(10, 0), done_at=at(10, 10) + timedelta(hours=1))  # late 11 h
    task(li, due=at(31, 23), created=at(2))  # last evening of March, open
    return zhang, li, north, south


def test_per_assignee(fixture_set, admin):
    zhang, li, *_ = fixture_set
    rows, total = task_metrics(membership=admin, start=MARCH[0], end=MARCH[1], zone=SHANGHAI)
    by_user = {row.key: row for row in rows}
    z, lr = by_user[zhang.pk], by_user[li.pk]
    assert (z.due, z.done, z.on_time) == (4, 3, 2)
    assert z.completion_rate == Decimal("75.0")
    assert z.on_time_rate == Decimal("66.7")
    assert z.average_handling_hours == Decimal("4.0")
    assert (lr.due, lr.done, lr.on_time) == (2, 1, 0)
    assert (lr.completion_rate, lr.on_time_rate) == (Decimal("50.0"), Decimal("0.0"))
    assert lr.average_handling_hours == Decimal("11.0")
    assert (total.due, total.done, total.on_time) == (6, 4, 2)
    assert total.completion_rate == Decimal("66.7")
    assert total.average_handling_hours == Decimal("5.8")  # (2 + 4 + 6 + 11) / 4 = 5.75


def test_per_team(fixture_set, admin):
    *_, north, south = fixture_set
    rows, _ = task_metrics(
        membership=admin, start=MARCH[0], end=MARCH[1], zone=SHANGHAI, group_by=TEAM
    )
    assert {row.key: (row.label, row.due, row.done) for row in rows} == {
        north.pk: (north.name, 4, 3),
        south.pk: (south.name, 2, 1),
    }


def test_period_boundaries_are_the_workspace_days(fixture_set, admin):
    # 31 March 23:00 in Shanghai is 15:00 UTC: in March there, whatever the server's zone
    _rows, total = task_metrics(
        membership=admin, start=date(2026, 3, 31), end=date(2026, 3, 31), zone=SHANGHAI
    )
    assert total.due == 1
    _rows, total = task_metrics(
        membership=admin, start=date(2026, 3, 31), end=date(2026, 3, 31), zone=ZoneInfo("UTC")
    )
    # in UTC, 1 April 00:30 Shanghai (16:30 UTC on 31 March) falls on the 31st too
    assert total.due == 2


def test_sales_see_the_figures_of_their_own_tasks_only(fixture_set):
    zhang, *_ = fixture_set
    membership = zhang.memberships.first()
    rows, total = task_metrics(
        membership=membership, start=MARCH[0], end=MARCH[1], zone=SHANGHAI, group_by=OWNER
    )
    assert [row.key for row in rows] == [zhang.pk]
    assert total.due == 4


def test_metrics_run_a_fixed_number_of_queries(fixture_set, admin, django_assert_num_queries):
    with django_assert_num_queries(2):  # grouped rows, labels
        task_metrics(membership=admin, start=MARCH[0], end=MARCH[1], zone=SHANGHAI)


def test_rates_without_a_denominator_are_none():
    assert rate(0, 0) is None
    assert rate(2, 3) == Decimal("66.7")
    assert rate(1, 8) == Decimal("12.5")


def test_no_tasks_no_rows(admin):
    rows, total = task_metrics(membership=admin, start=MARCH[0], end=MARCH[1], zone=UTC)
    assert rows == []
    assert total.due == 0 and total.completion_rate is None and total.average_handling is None
