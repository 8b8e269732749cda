"""The task calendar: a week or a month grid of days (Monday first) in the workspace's time zone."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db.models import QuerySet

from guanxi.tasks.models import Task

WEEK, MONTH = "week", "month"
# a day cell lists this many tasks, then "+N more"
DAY_TASK_LIMIT = 10
# a month view never fetches more rows than this (a grid cannot show more anyway)
MAX_TASKS = 600


@dataclass
class CalendarDay:
    day: date
    in_period: bool
    is_today: bool
    tasks: list[Task] = field(default_factory=list)
    hidden: int = 0


@dataclass
class CalendarGrid:
    mode: str
    anchor: date
    start: date
    end: date  # exclusive
    weeks: list[list[CalendarDay]]
    previous: date
    next: date
    truncated: bool


def period_bounds(anchor: date, mode: str) -> tuple[date, date, date, date]:
    """(grid start, grid end exclusive, previous anchor, next anchor); weeks start on Monday."""
    if mode == WEEK:
        start = anchor - timedelta(days=anchor.weekday())
        return (
            start,
            start + timedelta(days=7),
            start - timedelta(days=7),
            start + timedelta(days=7),
        )
    first = anchor.replace(day=1)
    next_month = (first + timedelta(days=32)).replace(day=1)
    previous_month = (first - timedelta(days=1)).replace(day=1)
    start = first - timedelta(days=first.weekday())
    last = next_month - timedelta(days=1)
    end = last + timedelta(days=7 - last.weekday())
    return start, end, previous_month, next_month


def local_midnight(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time.min, tzinfo=zone)


def calendar_grid(
    *, tasks: QuerySet[Task], anchor: date, mode: str, zone: ZoneInfo, today: date
) -> CalendarGrid:
    """Place each task on the day of its due time in `zone`; days outside the month are shown
    (greyed) so weeks stay whole."""
    mode = WEEK if mode == WEEK else MONTH
    start, end, previous, following = period_bounds(anchor, mode)
    rows = list(
        tasks.filter(
            due_at__gte=local_midnight(start, zone), due_at__lt=local_midnight(end, zone)
        ).order_by("due_at", "id")[: MAX_TASKS + 1]
    )
    truncated = len(rows) > MAX_TASKS
    days: dict[date, CalendarDay] = {}
    current = start
    while current < end:
        in_period = mode == WEEK or current.month == anchor.month
        days[current] = CalendarDay(current, in_period, current == today)
        current += timedelta(days=1)
    for task in rows[:MAX_TASKS]:
        cell = days.get(task.due_at.astimezone(zone).date())
        if cell is None:
            continue
        if len(cell.tasks) < DAY_TASK_LIMIT:
            cell.tasks.append(task)
        else:
            cell.hidden += 1
    ordered = list(days.values())
    weeks = [ordered[i : i + 7] for i in range(0, len(ordered), 7)]
    return CalendarGrid(mode, anchor, start, end, weeks, previous, following, truncated)
