"""The sales reports (OPP-5, OPP-6, OPP-8): each figure comes from one SQL aggregate over the
deals the member may see, read from a covering index of Opportunity (no table rows, no per-row
Python functions on SQLite); Python only adds up and divides the few rows that come back.

Money is summed as whole cents (and cents × percent for weighted values) so the totals are exact
on SQLite, whose decimals are floating point, as well as on PostgreSQL.
"""

from __future__ import annotations

import datetime
import zoneinfo
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import (
    Avg,
    Case,
    Count,
    F,
    IntegerField,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)

from guanxi.analytics.expressions import Cents, EpochSeconds
from guanxi.analytics.filters import MAX_FORECAST_MONTHS, GroupBy, ReportParams, add_months
from guanxi.analytics.maths import conversion_rates, days, efficiency_index, from_cents, percent
from guanxi.analytics.models import SalesTarget
from guanxi.core.permissions import Action, visible_owner_filter
from guanxi.opportunities.choices import OpportunityStatus, StageKind
from guanxi.opportunities.models import Opportunity, Pipeline, Stage
from guanxi.users.models import User
from guanxi.workspaces.models import Membership, Team
from guanxi.workspaces.selectors import team_user_ids

WEIGHTED_SCALE = 100 * 100  # cents × percent
AMOUNT_CENTS = Sum(Cents("amount"))
WEIGHTED_CENTS = Sum(Cents("amount") * F("probability"))
# COUNT(*): the deals' primary key is not in the covering indexes
DEALS = Count("*")


# --- the deals behind every report ---------------------------------------------------------
def deal_filter(membership: Membership, params: ReportParams) -> Q:
    """The opportunities the member may read (the opportunities read scope), narrowed by the
    filters every report shares: pipeline, owner, team, source."""
    condition = Q(workspace=membership.workspace)
    condition &= visible_owner_filter(membership, "opportunities", Action.VIEW)
    if params.pipeline is not None:
        condition &= Q(pipeline=params.pipeline)
    if params.owner is not None:
        condition &= Q(owner=params.owner)
    if params.team is not None:
        condition &= Q(owner_id__in=team_user_ids(params.team.pk))
    if params.source:
        condition &= Q(source=params.source)
    return condition


def visible_deals(membership: Membership, params: ReportParams) -> QuerySet[Opportunity]:
    return Opportunity.objects.filter(deal_filter(membership, params)).order_by()


def local_midnight(params: ReportParams, day: datetime.date) -> datetime.datetime:
    """The instant a local date starts in the workspace's time zone."""
    zone = zoneinfo.ZoneInfo(params.workspace.time_zone)
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=zone)


def period_bounds(params: ReportParams) -> tuple[datetime.datetime, datetime.datetime]:
    """The period's local dates as [start, end) instants in the workspace's time zone."""
    return (
        local_midnight(params, params.start),
        local_midnight(params, params.end + datetime.timedelta(days=1)),
    )


def group_column(group_by: str) -> str | None:
    """The column the SQL groups by: teams are summed per owner first (see by_team)."""
    return "owner_id" if group_by in (GroupBy.OWNER, GroupBy.TEAM) else None


def rows_summed(
    rows: list[dict[str, Any]], keys: tuple[str, ...], sums: tuple[str, ...]
) -> list[dict[str, Any]]:
    """Aggregate rows added up per value of `keys` (into one row when `keys` is empty).

    Exact: the sums are integers (counts, cents).
    """
    merged: dict[tuple, dict[str, Any]] = {}
    for row in rows:
        identity = tuple(row[name] for name in keys)
        total = merged.get(identity)
        if total is None:
            total = merged[identity] = {name: row[name] for name in keys}
            total.update(dict.fromkeys(sums, 0))
        for name in sums:
            total[name] += row[name] or 0
    return list(merged.values())


def by_team(
    workspace: Any, rows: list[dict[str, Any]], sums: tuple[str, ...]
) -> list[dict[str, Any]]:
    """Per-owner aggregate rows (a few per owner) added up per owner's team, under "owner_id".

    Cheaper than a correlated team lookup per deal, and exact: the sums are integers.
    """
    owners = {row["owner_id"] for row in rows} - {None}
    team_of = dict(
        Membership.objects.filter(workspace=workspace, user_id__in=owners).values_list(
            "user_id", "team_id"
        )
    )
    keys = tuple(name for name in rows[0] if name not in sums) if rows else ()
    return rows_summed(
        [{**row, "owner_id": team_of.get(row["owner_id"])} for row in rows], keys, sums
    )


def group_labels(workspace: Any, group_by: str, keys: set[Any]) -> dict[Any, str]:
    """Display names of the owners or teams in a report (one query)."""
    keys.discard(None)
    if not keys:
        return {}
    if group_by == GroupBy.OWNER:
        return {user.pk: str(user) for user in User.objects.filter(pk__in=keys)}
    return {team.pk: team.name for team in Team.objects.filter(workspace=workspace, pk__in=keys)}


# --- funnel (OPP-5) ------------------------------------------------------------------------
@dataclass
class FunnelStage:
    stage: Stage
    count: int
    # conversion from the stage before (None for the first stage, or when it had no deals)
    conversion: Decimal | None


@dataclass
class FunnelReport:
    pipeline: Pipeline | None
    stages: list[FunnelStage] = field(default_factory=list)

    @property
    def overall(self) -> Decimal | None:
        """Last stage ÷ first stage."""
        if not self.stages:
            return None
        return percent(self.stages[-1].count, self.stages[0].count)


def report_pipeline(params: ReportParams) -> Pipeline | None:
    """The chosen pipeline, else the workspace's default one, else its first."""
    if params.pipeline is not None:
        return params.pipeline
    pipelines = Pipeline.objects.filter(workspace=params.workspace).order_by(
        "-is_default", "order", "id"
    )
    return pipelines.first()


def funnel_stages(pipeline: Pipeline) -> list[Stage]:
    """The funnel's steps: the pipeline's stages in order, without the lost ones."""
    return list(
        Stage.objects.filter(pipeline=pipeline).exclude(kind=StageKind.LOST).order_by("order", "id")
    )


def funnel_cohort(
    membership: Membership, params: ReportParams, pipeline: Pipeline
) -> QuerySet[Opportunity]:
    """The funnel's deals: the member's visible deals of the pipeline created in the period."""
    start, end = period_bounds(params)
    return visible_deals(membership, params).filter(
        pipeline=pipeline, created_at__gte=start, created_at__lt=end
    )


def funnel_report(membership: Membership, params: ReportParams) -> FunnelReport:
    """Of the deals created in the period, how many reached each stage (their furthest stage is
    that one or a later one), and stage-to-stage conversion."""
    pipeline = report_pipeline(params)
    if pipeline is None:
        return FunnelReport(pipeline=None)
    stages = funnel_stages(pipeline)
    if not stages:
        return FunnelReport(pipeline=pipeline)
    # one pass over opp_funnel_idx: how many deals got no further than each stage
    stopped = funnel_cohort(membership, params, pipeline).aggregate(
        **{
            f"stage_{index}": Count("furthest_stage", filter=Q(furthest_stage=stage.pk))
            for index, stage in enumerate(stages)
        }
    )
    counts = [
        sum(
            stopped[f"stage_{index}"]
            for index, later in enumerate(stages)
            if later.order >= stage.order
        )
        for stage in stages
    ]
    rates = [None, *conversion_rates(counts)]
    return FunnelReport(
        pipeline=pipeline,
        stages=[
            FunnelStage(stage=stage, count=count, conversion=rate)
            for stage, count, rate in zip(stages, counts, rates, strict=True)
        ],
    )


# --- pipeline value (OPP-6) ----------------------------------------------------------------
@dataclass
class ValueRow:
    key: Any
    label: str
    count: int
    amount: Decimal
    weighted: Decimal


@dataclass
class PipelineValueReport:
    total: ValueRow
    by_stage: list[ValueRow]
    by_group: list[ValueRow]
    group_by: str


def value_row(key: Any, label: str, row: dict[str, Any]) -> ValueRow:
    return ValueRow(
        key=key,
        label=label,
        count=row["count"] or 0,
        amount=from_cents(row["amount_cents"]),
        weighted=from_cents(row["weighted_cents"], scale=WEIGHTED_SCALE),
    )


VALUE_SUMS = {"count": DEALS, "amount_cents": AMOUNT_CENTS, "weighted_cents": WEIGHTED_CENTS}


def pipeline_value_report(membership: Membership, params: ReportParams) -> PipelineValueReport:
    """Σ amount and Σ(amount × probability / 100) of the open deals: in total, per stage, and per
    owner or team (owner when no grouping is asked for)."""
    open_deals = visible_deals(membership, params).filter(status=OpportunityStatus.OPEN)
    # one pass over opp_value_idx, grouped in its order; the total, the stages and the owners
    # are added up from these (stages × owners) rows
    rows = list(open_deals.values("stage_id", "owner_id").annotate(**VALUE_SUMS).order_by())
    sums = tuple(VALUE_SUMS)
    total = rows_summed(rows, (), sums)
    stage_rows = rows_summed(rows, ("stage_id",), sums)
    stages = {
        stage.pk: stage
        for stage in Stage.objects.filter(
            pk__in=[row["stage_id"] for row in stage_rows]
        ).select_related("pipeline")
    }
    several_pipelines = len({stage.pipeline_id for stage in stages.values()}) > 1
    by_stage = [
        value_row(
            row["stage_id"],
            f"{stage.pipeline.name} · {stage.name}" if several_pipelines else stage.name,
            row,
        )
        for row in stage_rows
        for stage in [stages[row["stage_id"]]]
    ]
    by_stage.sort(
        key=lambda row: (
            stages[row.key].pipeline.order,
            str(stages[row.key].pipeline_id),
            stages[row.key].order,
        )
    )
    group_by = params.group_by or GroupBy.OWNER
    group_rows = rows_summed(rows, ("owner_id",), sums)
    if group_by == GroupBy.TEAM:
        group_rows = by_team(params.workspace, group_rows, sums)
    labels = group_labels(params.workspace, group_by, {row["owner_id"] for row in group_rows})
    by_group = sorted(
        (value_row(row["owner_id"], labels.get(row["owner_id"], ""), row) for row in group_rows),
        key=lambda row: (-row.weighted, row.label, str(row.key)),
    )
    return PipelineValueReport(
        total=value_row("", "", total[0] if total else dict.fromkeys(sums, 0)),
        by_stage=by_stage,
        by_group=by_group,
        group_by=group_by,
    )


# --- forecast against targets (OPP-6) ------------------------------------------------------
@dataclass
class ForecastRow:
    month: datetime.date
    key: Any
    label: str
    won: Decimal = Decimal("0.00")
    open_count: int = 0
    open_amount: Decimal = Decimal("0.00")
    weighted: Decimal = Decimal("0.00")
    target: Decimal | None = None

    @property
    def forecast(self) -> Decimal:
        """Won so far plus the weighted value of what is still open for the month."""
        return self.won + self.weighted

    @property
    def attainment(self) -> Decimal | None:
        return percent(self.won, self.target) if self.target else None

    @property
    def forecast_attainment(self) -> Decimal | None:
        return percent(self.forecast, self.target) if self.target else None


@dataclass
class ForecastReport:
    months: list[datetime.date]
    rows: list[ForecastRow]
    group_by: str

    @property
    def totals(self) -> ForecastRow:
        total = ForecastRow(month=self.months[0] if self.months else None, key="", label="")
        targets = [row.target for row in self.rows if row.target is not None]
        for row in self.rows:
            total.won += row.won
            total.open_count += row.open_count
            total.open_amount += row.open_amount
            total.weighted += row.weighted
        total.target = sum(targets, Decimal("0.00")) if targets else None
        return total


def report_months(params: ReportParams) -> list[datetime.date]:
    first = params.start.replace(day=1)
    months = []
    while first <= params.end and len(months) < MAX_FORECAST_MONTHS:
        months.append(first)
        first = add_months(first, 1)
    return months


def forecast_report(membership: Membership, params: ReportParams) -> ForecastReport:
    """Per month of expected close: won amount (closed that month), open and weighted open
    amount, their sum as the forecast, and the target with its attainment."""
    months = report_months(params)
    if not months:
        return ForecastReport(months=[], rows=[], group_by=params.group_by)
    first, after = months[0], add_months(months[-1], 1)
    deals, column = visible_deals(membership, params), group_column(params.group_by)
    keys = ("month", column) if column else ("month",)
    open_sums = ("count", "amount_cents", "weighted_cents")
    # per day of expected close (opp_forecast_open_idx's order), folded into months here
    open_days = list(
        deals.filter(
            status=OpportunityStatus.OPEN, expected_close__gte=first, expected_close__lt=after
        )
        .values("expected_close", *keys[1:])
        .annotate(count=DEALS, amount_cents=AMOUNT_CENTS, weighted_cents=WEIGHTED_CENTS)
        .order_by()
    )
    for row in open_days:
        row["month"] = row["expected_close"].replace(day=1)
    open_rows = rows_summed(open_days, keys, open_sums)
    won_rows = [
        {**row, "month": months[row["month_index"]]}
        for row in deals.filter(
            status=OpportunityStatus.WON,
            closed_at__gte=local_midnight(params, first),
            closed_at__lt=local_midnight(params, after),
        )
        .annotate(month_index=month_of_closing(params, months))
        .values("month_index", *keys[1:])
        .annotate(amount_cents=AMOUNT_CENTS)
        .order_by()
    ]
    if params.group_by == GroupBy.TEAM:
        open_rows = by_team(params.workspace, open_rows, open_sums)
        won_rows = by_team(params.workspace, won_rows, ("amount_cents",))
    rows: dict[tuple[datetime.date, Any], ForecastRow] = {}

    def row_for(values: dict[str, Any]) -> ForecastRow:
        month, key = values["month"], values[column] if column else ""
        if (month, key) not in rows:
            rows[(month, key)] = ForecastRow(month=month, key=key, label="")
        return rows[(month, key)]

    for values in open_rows:
        row = row_for(values)
        row.open_count = values["count"]
        row.open_amount = from_cents(values["amount_cents"])
        row.weighted = from_cents(values["weighted_cents"], scale=WEIGHTED_SCALE)
    for values in won_rows:
        row_for(values).won = from_cents(values["amount_cents"])
    if column is None:  # every month gets a row, with or without deals
        for month in months:
            rows.setdefault((month, ""), ForecastRow(month=month, key="", label=""))
    targets = monthly_targets(params, months)
    if column:
        # owners and teams with a target but no deals still show (at 0 % attainment)
        for month, key in targets:
            rows.setdefault((month, key), ForecastRow(month=month, key=key, label=""))
        labels = group_labels(params.workspace, params.group_by, {row.key for row in rows.values()})
        for row in rows.values():
            row.label = labels.get(row.key, "")
    for row in rows.values():
        row.target = targets.get((row.month, row.key))
    ordered = sorted(rows.values(), key=lambda row: (row.month, row.label, str(row.key)))
    return ForecastReport(months=months, rows=ordered, group_by=params.group_by)


def month_of_closing(params: ReportParams, months: list[datetime.date]) -> Case:
    """The index in `months` of the local month a deal closed in, as a plain SQL comparison
    with each month's first instant (TruncMonth is a Python function per row on SQLite)."""
    return Case(
        *(
            When(closed_at__lt=local_midnight(params, month), then=Value(index))
            for index, month in enumerate(months[1:])
        ),
        default=Value(len(months) - 1),
        output_field=IntegerField(),
    )


def monthly_targets(
    params: ReportParams, months: list[datetime.date]
) -> dict[tuple[datetime.date, Any], Decimal]:
    """(month, owner or team id, or "" for the whole report) → target amount, summed in SQL.

    Without grouping, the report's target is its teams' targets where there are any for the
    month, else its users' targets (so a team target and its members' targets are not added up).
    """
    targets = SalesTarget.objects.filter(workspace=params.workspace, month__in=months)
    if params.owner is not None:
        targets = targets.filter(user=params.owner)
    elif params.team is not None:
        targets = targets.filter(Q(team=params.team) | Q(user_id__in=team_user_ids(params.team.pk)))
    users = targets.filter(user__isnull=False)
    teams = targets.filter(team__isnull=False)
    summed = {"total": AMOUNT_CENTS}
    if params.group_by == GroupBy.OWNER:
        rows = users.values("month", "user_id").annotate(**summed).order_by()
        return {(r["month"], r["user_id"]): from_cents(r["total"]) for r in rows}
    if params.group_by == GroupBy.TEAM:
        rows = teams.values("month", "team_id").annotate(**summed).order_by()
        return {(r["month"], r["team_id"]): from_cents(r["total"]) for r in rows}
    team_totals = {
        r["month"]: from_cents(r["total"])
        for r in teams.values("month").annotate(**summed).order_by()
    }
    user_totals = {
        r["month"]: from_cents(r["total"])
        for r in users.values("month").annotate(**summed).order_by()
    }
    return {
        (month, ""): team_totals.get(month, user_totals.get(month))
        for month in months
        if month in team_totals or month in user_totals
    }


# --- rep efficiency (OPP-8) ----------------------------------------------------------------
@dataclass
class EfficiencyRow:
    owner_id: Any
    label: str
    total: int
    won: int
    avg_days_to_close: Decimal | None

    @property
    def index(self) -> Decimal | None:
        """Efficiency index = won / total (seeds: 张三 45 / 150 = 0.30)."""
        return efficiency_index(self.won, self.total)


def efficiency_report(membership: Membership, params: ReportParams) -> list[EfficiencyRow]:
    """Per owner, the deals created in the period: how many, how many won, and the average
    days from creation to winning."""
    start, end = period_bounds(params)
    deals = visible_deals(membership, params).filter(
        created_at__gte=start, created_at__lt=end, owner__isnull=False
    )
    won = Q(status=OpportunityStatus.WON)
    rows = list(
        deals.values("owner_id")
        .annotate(
            total=DEALS,
            won=Count("status", filter=won),
            # seconds, computed natively (Django's datetime subtraction is per-row Python on SQLite)
            seconds_to_close=Avg(
                EpochSeconds("closed_at") - EpochSeconds("created_at"),
                filter=won & Q(closed_at__isnull=False),
            ),
        )
        .order_by()
    )
    owners = {user.pk: user for user in User.objects.filter(pk__in=[r["owner_id"] for r in rows])}
    rows.sort(key=lambda row: (-row["won"], -row["total"], owners[row["owner_id"]].username))
    return [
        EfficiencyRow(
            owner_id=row["owner_id"],
            label=str(owners[row["owner_id"]]),
            total=row["total"],
            won=row["won"],
            avg_days_to_close=days(row["seconds_to_close"] / 86400)
            if row["seconds_to_close"] is not None
            else None,
        )
        for row in rows
    ]


# --- drill-down: the deals behind one figure ----------------------------------------------
def deals_behind(
    membership: Membership, report: str, params: ReportParams
) -> QuerySet[Opportunity]:
    """Exactly the opportunities one figure of a report counts (same filters, same SQL)."""
    deals = visible_deals(membership, params)
    if report == "funnel":
        pipeline = report_pipeline(params)
        stages = funnel_stages(pipeline) if pipeline is not None else []
        if params.stage not in stages:
            return deals.none()
        reached = [stage.pk for stage in stages if stage.order >= params.stage.order]
        return funnel_cohort(membership, params, pipeline).filter(furthest_stage__in=reached)
    if report == "pipeline-value":
        deals = deals.filter(status=OpportunityStatus.OPEN)
        return deals.filter(stage=params.stage) if params.stage else deals
    if report == "forecast":
        if params.month is None:
            return deals.none()
        after = add_months(params.month, 1)
        if params.outcome == "won":
            return deals.filter(
                status=OpportunityStatus.WON,
                closed_at__gte=local_midnight(params, params.month),
                closed_at__lt=local_midnight(params, after),
            )
        return deals.filter(
            status=OpportunityStatus.OPEN,
            expected_close__gte=params.month,
            expected_close__lt=after,
        )
    if report == "efficiency":
        start, end = period_bounds(params)
        deals = deals.filter(created_at__gte=start, created_at__lt=end, owner__isnull=False)
        return deals.filter(status=OpportunityStatus.WON) if params.outcome == "won" else deals
    return deals.none()
