"""Task metrics per member and per team over a period, computed in SQL (TASK-4, seeds 3.2.3).

Of the tasks due in the period (cancelled ones left out):
- completion rate = done / due
- on-time rate = done by the due time / done
- average handling time = mean of (completed − created) over the done ones
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import (
    Avg,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    Subquery,
    UUIDField,
)

from guanxi.tasks.calendar import local_midnight
from guanxi.tasks.choices import TaskStatus
from guanxi.tasks.selectors import task_list
from guanxi.users.models import User
from guanxi.workspaces.models import Membership, Team

OWNER, TEAM = "owner", "team"
PERCENT = Decimal("0.1")

DONE = Q(status=TaskStatus.DONE)
ON_TIME = DONE & Q(completed_at__lte=F("due_at"))
HANDLING_TIME = ExpressionWrapper(F("completed_at") - F("created_at"), output_field=DurationField())


def rate(part: int, whole: int) -> Decimal | None:
    """A percentage with one decimal (half up), None when there is nothing to divide by."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(PERCENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class MetricRow:
    key: Any  # a user id, a team id, or None (unassigned / no team)
    label: str
    due: int
    done: int
    on_time: int
    average_handling: timedelta | None

    @property
    def completion_rate(self) -> Decimal | None:
        return rate(self.done, self.due)

    @property
    def on_time_rate(self) -> Decimal | None:
        return rate(self.on_time, self.done)

    @property
    def average_handling_hours(self) -> Decimal | None:
        if self.average_handling is None:
            return None
        hours = Decimal(self.average_handling.total_seconds()) / 3600
        return hours.quantize(PERCENT, rounding=ROUND_HALF_UP)


def period_tasks(*, membership: Membership, start: date, end: date, zone: ZoneInfo):
    """Visible tasks due from `start` to `end` inclusive (workspace days), not cancelled."""
    return (
        task_list(membership=membership)
        .select_related(None)
        .filter(
            due_at__gte=local_midnight(start, zone),
            due_at__lt=local_midnight(end + timedelta(days=1), zone),
        )
        .exclude(status=TaskStatus.CANCELLED)
    )


def task_metrics(
    *, membership: Membership, start: date, end: date, zone: ZoneInfo, group_by: str = OWNER
) -> tuple[list[MetricRow], MetricRow]:
    """One row per assignee (or per the assignee's team), and the total; one grouped query
    plus one for the labels."""
    tasks = period_tasks(membership=membership, start=start, end=end, zone=zone)
    if group_by == TEAM:
        team_of_owner = Membership.objects.filter(
            workspace_id=membership.workspace_id, user_id=OuterRef("owner_id")
        ).values("team_id")[:1]
        tasks = tasks.annotate(group=Subquery(team_of_owner, output_field=UUIDField()))
    else:
        tasks = tasks.annotate(group=F("owner_id"))
    figures = dict(
        due=Count("pk"),
        done=Count("pk", filter=DONE),
        on_time=Count("pk", filter=ON_TIME),
        average_handling=Avg(HANDLING_TIME, filter=DONE),
    )
    rows = list(tasks.order_by().values("group").annotate(**figures))
    labels = group_labels(group_by, [row["group"] for row in rows if row["group"] is not None])
    result = [
        MetricRow(
            key=row["group"],
            label=labels.get(row["group"], ""),
            due=row["due"],
            done=row["done"],
            on_time=row["on_time"],
            average_handling=row["average_handling"],
        )
        for row in rows
    ]
    result.sort(key=lambda row: (row.key is None, row.label))
    return result, total_of(result)


def total_of(rows: list[MetricRow]) -> MetricRow:
    """The total from the groups (no second scan): the mean handling time is the groups'
    means weighted by their done tasks, which is exactly the mean over all done tasks."""
    done = sum(row.done for row in rows)
    handled = [row for row in rows if row.average_handling is not None]
    average = (
        sum((row.average_handling * row.done for row in handled), timedelta()) / done
        if handled and done
        else None
    )
    return MetricRow(
        key=None,
        label="",
        due=sum(row.due for row in rows),
        done=done,
        on_time=sum(row.on_time for row in rows),
        average_handling=average,
    )


def group_labels(group_by: str, keys: list[Any]) -> dict[Any, str]:
    if not keys:
        return {}
    if group_by == TEAM:
        return {team.pk: team.name for team in Team.objects.filter(pk__in=keys)}
    return {user.pk: str(user) for user in User.objects.filter(pk__in=keys)}
