"""The reports on real rows: the seeds' figures, filters, visibility, tenancy, query counts."""

from __future__ import annotations

import dataclasses
import datetime
import zoneinfo
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from guanxi.analytics.filters import GroupBy, ReportParams
from guanxi.analytics.reports import (
    deals_behind,
    efficiency_report,
    forecast_report,
    funnel_report,
    pipeline_value_report,
)
from guanxi.analytics.tests.factories import (
    SEED_CONVERSIONS,
    SEED_EFFICIENCY,
    SEED_FUNNEL,
    SalesTargetFactory,
    bulk_deals,
    seed_efficiency,
    seed_funnel_tops,
    seed_pipeline,
)
from guanxi.opportunities.choices import OpportunityStatus
from guanxi.opportunities.models import Opportunity, StageHistory
from guanxi.opportunities.services import (
    opportunity_create,
    opportunity_mark_lost,
    opportunity_move,
)
from guanxi.workspaces.choices import Role
from guanxi.workspaces.tests.factories import TeamFactory

TODAY = datetime.date(2026, 3, 15)


def params(workspace, **kwargs) -> ReportParams:
    kwargs.setdefault("start", datetime.date(2026, 1, 1))
    kwargs.setdefault("end", datetime.date(2026, 12, 31))
    return ReportParams(workspace=workspace, **kwargs)


def at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))


# --- funnel --------------------------------------------------------------------------------
@pytest.mark.django_db
def test_the_seeds_funnel_gives_the_seeds_conversions(admin) -> None:
    # given the seeds' 1,000 deals walking the six stages in the period
    pipeline, stages = seed_pipeline(admin.workspace)
    bulk_deals(admin.workspace, stages, furthest=seed_funnel_tops(), entered_at=at(TODAY))
    # when
    report = funnel_report(admin, params(admin.workspace, pipeline=pipeline))
    # then every stage count and conversion is exactly the seeds'
    assert [row.count for row in report.stages] == [count for _n, count, _p, _k in SEED_FUNNEL]
    assert [row.conversion for row in report.stages] == [None, *SEED_CONVERSIONS]
    assert report.overall == Decimal("24.0")
    # and the lost stage is not a funnel step
    assert [row.stage.name for row in report.stages] == [name for name, *_ in SEED_FUNNEL]


def today_params(workspace, **kwargs) -> ReportParams:
    """Today as the period: deals created through the services are created now."""
    today = timezone.localdate()
    return params(workspace, start=today, end=today, **kwargs)


@pytest.mark.django_db
def test_a_deal_created_in_a_later_stage_counts_as_reaching_the_earlier_ones(admin) -> None:
    # given a deal created directly in the fourth stage (e.g. from a converted lead)
    pipeline, stages = seed_pipeline(admin.workspace)
    opportunity_create(workspace=admin.workspace, actor=admin.user, name="ERP", stage=stages[3])
    # when / then it reached stages 1–4
    report = funnel_report(admin, today_params(admin.workspace, pipeline=pipeline))
    assert [row.count for row in report.stages] == [1, 1, 1, 1, 0, 0]


@pytest.mark.django_db
def test_a_deal_counts_up_to_its_furthest_stage_after_moving_back_and_being_lost(admin) -> None:
    # given a deal that got to the fourth stage, went back to the second, then was lost
    pipeline, stages = seed_pipeline(admin.workspace)
    actor = admin.user
    deal = opportunity_create(workspace=admin.workspace, actor=actor, name="ERP", stage=stages[0])
    opportunity_move(opportunity=deal, stage=stages[3], actor=actor)
    opportunity_move(opportunity=deal, stage=stages[1], actor=actor)
    opportunity_mark_lost(opportunity=deal, actor=actor, lost_reason="预算取消")
    # when / then it still counts as having reached stages 1–4
    report = funnel_report(admin, today_params(admin.workspace, pipeline=pipeline))
    assert [row.count for row in report.stages] == [1, 1, 1, 1, 0, 0]


@pytest.mark.django_db
def test_the_funnel_counts_only_deals_created_in_the_period(admin) -> None:
    # given a deal created before the period that moved on in it, and one created in it
    pipeline, stages = seed_pipeline(admin.workspace)
    old = bulk_deals(
        admin.workspace, stages, furthest=[4], entered_at=at(datetime.date(2025, 6, 1))
    )
    StageHistory.objects.filter(opportunity=old[0]).update(entered_at=at(TODAY))
    bulk_deals(admin.workspace, stages, furthest=[1], entered_at=at(TODAY))
    # when / then only the deal created in the period counts
    report = funnel_report(admin, params(admin.workspace, pipeline=pipeline))
    assert [row.count for row in report.stages] == [1, 1, 0, 0, 0, 0]


@pytest.mark.django_db
def test_the_funnel_filters_by_owner_team_and_source(admin, member) -> None:
    # given deals of two reps in two teams from two sources
    team = TeamFactory(workspace=admin.workspace)
    rep_a = member(Role.SALES, team=team)
    rep_b = member(Role.SALES)
    pipeline, stages = seed_pipeline(admin.workspace)
    bulk_deals(
        admin.workspace,
        stages,
        furthest=[3, 3],
        owner=rep_a.user,
        source="web",
        entered_at=at(TODAY),
    )
    bulk_deals(
        admin.workspace,
        stages,
        furthest=[1],
        owner=rep_b.user,
        source="referral",
        entered_at=at(TODAY),
    )
    ws = admin.workspace

    def counts(**filters):
        return [
            row.count
            for row in funnel_report(admin, params(ws, pipeline=pipeline, **filters)).stages
        ]

    # then
    assert counts() == [3, 3, 2, 2, 0, 0]
    assert counts(owner=rep_a.user) == [2, 2, 2, 2, 0, 0]
    assert counts(team=team) == [2, 2, 2, 2, 0, 0]
    assert counts(source="referral") == [1, 1, 0, 0, 0, 0]


@pytest.mark.django_db
def test_the_funnel_defaults_to_the_default_pipeline_and_ignores_other_pipelines(admin) -> None:
    from guanxi.opportunities.services import default_pipeline

    default = default_pipeline(admin.workspace)
    _other, stages = seed_pipeline(admin.workspace)
    bulk_deals(admin.workspace, stages, furthest=[5], entered_at=at(TODAY))
    report = funnel_report(admin, params(admin.workspace))
    assert report.pipeline == default
    assert sum(row.count for row in report.stages) == 0


@pytest.mark.django_db
def test_a_workspace_without_pipelines_has_an_empty_funnel(admin) -> None:
    report = funnel_report(admin, params(admin.workspace))
    assert report.pipeline is None and report.stages == [] and report.overall is None


@pytest.mark.django_db
def test_a_sales_rep_sees_the_funnel_of_the_deals_they_may_read(member) -> None:
    # given a rep without team (own scope) and a colleague's deals
    rep = member(Role.SALES)
    colleague = member(Role.SALES)
    pipeline, stages = seed_pipeline(rep.workspace)
    bulk_deals(rep.workspace, stages, furthest=[2], owner=rep.user, entered_at=at(TODAY))
    bulk_deals(rep.workspace, stages, furthest=[5, 5], owner=colleague.user, entered_at=at(TODAY))
    # when / then only their own deal counts
    report = funnel_report(rep, params(rep.workspace, pipeline=pipeline))
    assert [row.count for row in report.stages] == [1, 1, 1, 0, 0, 0]


@pytest.mark.django_db
def test_another_workspaces_deals_never_count(admin, member, other_workspace) -> None:
    outsider = member(Role.ADMIN, in_workspace=other_workspace)
    _pipeline, stages = seed_pipeline(other_workspace)
    bulk_deals(
        other_workspace,
        stages,
        furthest=[5] * 3,
        owner=outsider.user,
        amount=Decimal("10"),
        expected_close=TODAY,
    )
    mine, _stages = seed_pipeline(admin.workspace, name="mine")
    ws = admin.workspace
    assert sum(r.count for r in funnel_report(admin, params(ws, pipeline=mine)).stages) == 0
    assert sum(r.count for r in funnel_report(admin, params(ws)).stages) == 0
    assert pipeline_value_report(admin, params(ws)).total.count == 0
    assert efficiency_report(admin, params(ws)) == []
    assert all(row.won == 0 for row in forecast_report(admin, params(ws)).rows)


@pytest.mark.django_db
def test_the_funnel_runs_the_same_number_of_queries_for_1_and_300_deals(admin) -> None:
    pipeline, stages = seed_pipeline(admin.workspace)
    bulk_deals(admin.workspace, stages, furthest=[3], entered_at=at(TODAY))
    with CaptureQueriesContext(connection) as one:
        funnel_report(admin, params(admin.workspace, pipeline=pipeline))
    bulk_deals(admin.workspace, stages, furthest=[1, 4, 5] * 100, entered_at=at(TODAY))
    with CaptureQueriesContext(connection) as many:
        funnel_report(admin, params(admin.workspace, pipeline=pipeline))
    assert len(many) == len(one) <= 3


@pytest.mark.django_db
def test_funnel_drill_down_lists_exactly_the_deals_behind_a_stage_count(admin) -> None:
    pipeline, stages = seed_pipeline(admin.workspace)
    deals = bulk_deals(admin.workspace, stages, furthest=[1, 3, 4], entered_at=at(TODAY))
    bulk_deals(admin.workspace, stages, furthest=[5], entered_at=at(datetime.date(2025, 6, 1)))
    p = params(admin.workspace, pipeline=pipeline, stage=stages[3])
    assert set(deals_behind(admin, "funnel", p)) == set(deals[1:])
    # and every stage's list is as long as its count
    ws = admin.workspace
    for row in funnel_report(admin, params(ws, pipeline=pipeline)).stages:
        p = params(ws, pipeline=pipeline, stage=row.stage)
        assert deals_behind(admin, "funnel", p).count() == row.count


@pytest.mark.django_db
def test_funnel_drill_down_of_a_lost_stage_or_another_pipelines_stage_is_empty(admin) -> None:
    pipeline, stages = seed_pipeline(admin.workspace)
    _other, other_stages = seed_pipeline(admin.workspace, name="其他")
    bulk_deals(admin.workspace, stages, furthest=[5], entered_at=at(TODAY))
    lost = pipeline.stages.get(kind="lost")
    for stage in (lost, other_stages[0]):
        p = params(admin.workspace, pipeline=pipeline, stage=stage)
        assert deals_behind(admin, "funnel", p).count() == 0


# --- efficiency ----------------------------------------------------------------------------
@pytest.mark.django_db
def test_the_seeds_rep_efficiency_table(admin, member) -> None:
    # given the seeds' three reps and their deals created in the period
    owners = {}
    for name, *_rest in SEED_EFFICIENCY:
        owners[name] = member(Role.SALES).user
        owners[name].display_name = name
        owners[name].save()
    _pipeline, stages = seed_pipeline(admin.workspace)
    seed_efficiency(admin.workspace, stages, owners, created=at(datetime.date(2026, 2, 1)))
    # when
    rows = {row.label: row for row in efficiency_report(admin, params(admin.workspace))}
    # then
    for name, total, won, avg_days, index in SEED_EFFICIENCY:
        assert (rows[name].total, rows[name].won) == (total, won)
        assert rows[name].avg_days_to_close == Decimal(avg_days)
        assert rows[name].index == index
    assert efficiency_report(admin, params(admin.workspace))[0].label == "王五"


@pytest.mark.django_db
def test_efficiency_counts_the_deals_created_in_the_period(admin) -> None:
    _pipeline, stages = seed_pipeline(admin.workspace)
    old = bulk_deals(admin.workspace, stages, furthest=[5], owner=admin.user)
    Opportunity.objects.filter(pk=old[0].pk).update(created_at=at(datetime.date(2025, 1, 1)))
    bulk_deals(admin.workspace, stages, furthest=[0], owner=admin.user)
    today = timezone.localdate()
    rows = efficiency_report(admin, params(admin.workspace, start=today, end=today))
    assert [(row.total, row.won, row.avg_days_to_close, row.index) for row in rows] == [
        (1, 0, None, Decimal("0.00"))
    ]


# --- pipeline value and forecast -----------------------------------------------------------
@pytest.mark.django_db
def test_pipeline_value_is_the_exact_sum_of_amount_times_probability(admin, member) -> None:
    # given open deals with amounts whose floating-point sums would drift, a won and a lost one
    rep = member(Role.SALES)
    _pipeline, stages = seed_pipeline(admin.workspace)
    bulk_deals(admin.workspace, stages, furthest=[1] * 10, owner=rep.user, amount=Decimal("0.10"))
    bulk_deals(admin.workspace, stages, furthest=[4], owner=admin.user, amount=Decimal("1234.55"))
    bulk_deals(admin.workspace, stages, furthest=[5], owner=admin.user, amount=Decimal("999"))
    # when
    report = pipeline_value_report(admin, params(admin.workspace))
    # then 10 × 0.10 × 20 % + 1,234.55 × 80 % (won deals are not pipeline)
    assert report.total.count == 11
    assert report.total.amount == Decimal("1235.55")
    assert report.total.weighted == Decimal("0.20") + Decimal("987.64")
    assert [(row.label, row.count) for row in report.by_stage] == [
        ("意向客户", 10),
        ("合同谈判", 1),
    ]
    by_owner = {row.key: row.weighted for row in report.by_group}
    assert by_owner == {admin.user.pk: Decimal("987.64"), rep.user.pk: Decimal("0.20")}


@pytest.mark.django_db
def test_pipeline_value_by_team(admin, member) -> None:
    team = TeamFactory(workspace=admin.workspace, name="华东")
    rep = member(Role.SALES, team=team)
    _pipeline, stages = seed_pipeline(admin.workspace)
    bulk_deals(admin.workspace, stages, furthest=[3, 3], owner=rep.user, amount=Decimal("100"))
    bulk_deals(admin.workspace, stages, furthest=[3], owner=admin.user, amount=Decimal("100"))
    report = pipeline_value_report(admin, params(admin.workspace, group_by=GroupBy.TEAM))
    assert {(row.label, row.weighted) for row in report.by_group} == {
        ("华东", Decimal("120.00")),
        ("", Decimal("60.00")),
    }


@pytest.mark.django_db
def test_forecast_sums_per_month_against_targets(admin, member) -> None:
    # given open deals closing in March and April, one won in March, and targets
    rep = member(Role.SALES)
    _pipeline, stages = seed_pipeline(admin.workspace)
    march, april = datetime.date(2026, 3, 1), datetime.date(2026, 4, 1)
    ws = admin.workspace
    bulk_deals(
        ws,
        stages,
        furthest=[3] * 3,
        owner=rep.user,
        amount=Decimal("333.33"),
        expected_close=datetime.date(2026, 3, 31),
    )
    bulk_deals(
        ws,
        stages,
        furthest=[1],
        owner=admin.user,
        amount=Decimal("1000.01"),
        expected_close=datetime.date(2026, 4, 1),
    )
    won = bulk_deals(ws, stages, furthest=[5], owner=rep.user, amount=Decimal("500.05"))
    Opportunity.objects.filter(pk=won[0].pk).update(closed_at=at(datetime.date(2026, 3, 2)))
    SalesTargetFactory(workspace=ws, user=rep.user, month=march, amount=Decimal("2000"))
    SalesTargetFactory(workspace=ws, user=admin.user, month=march, amount=Decimal("1000"))
    # when
    report = forecast_report(admin, params(ws, start=march, end=datetime.date(2026, 4, 30)))
    rows = {row.month: row for row in report.rows}
    # then March: 999.99 open, 599.99 weighted (60 %), 500.05 won, target 3,000
    assert rows[march].open_count == 3
    assert rows[march].open_amount == Decimal("999.99")
    assert rows[march].weighted == Decimal("599.99")
    assert rows[march].won == Decimal("500.05")
    assert rows[march].forecast == Decimal("1100.04")
    assert rows[march].target == Decimal("3000.00")
    assert rows[march].attainment == Decimal("16.7")
    assert rows[march].forecast_attainment == Decimal("36.7")
    # and April: 1,000.01 × 20 %, no target
    assert rows[april].weighted == Decimal("200.00")
    assert rows[april].target is None and rows[april].attainment is None
    assert report.totals.weighted == Decimal("799.99")


@pytest.mark.django_db
def test_forecast_puts_won_deals_in_the_workspaces_local_month(admin) -> None:
    # given deals won just before and at local midnight of 1 April in the workspace's zone
    zone = zoneinfo.ZoneInfo(admin.workspace.time_zone)
    _pipeline, stages = seed_pipeline(admin.workspace)
    closings = {
        datetime.datetime(2026, 2, 28, 23, 59, 59, tzinfo=zone): Decimal("1"),
        datetime.datetime(2026, 3, 31, 23, 59, 59, tzinfo=zone): Decimal("10"),
        datetime.datetime(2026, 4, 1, 0, 0, tzinfo=zone): Decimal("100"),
        datetime.datetime(2026, 4, 30, 23, 59, 59, tzinfo=zone): Decimal("1000"),
        datetime.datetime(2026, 5, 1, 0, 0, tzinfo=zone): Decimal("10000"),
    }
    for closed_at, amount in closings.items():
        won = bulk_deals(admin.workspace, stages, furthest=[5], owner=admin.user, amount=amount)
        Opportunity.objects.filter(pk=won[0].pk).update(closed_at=closed_at)
    # when
    p = params(admin.workspace, start=datetime.date(2026, 3, 1), end=datetime.date(2026, 4, 30))
    for group_by in ("", GroupBy.OWNER):
        report = forecast_report(admin, dataclasses.replace(p, group_by=group_by))
        # then each month has exactly its own
        assert [(row.month.month, row.won) for row in report.rows] == [
            (3, Decimal("10.00")),
            (4, Decimal("1100.00")),
        ]


@pytest.mark.django_db
def test_forecast_by_owner_shows_each_reps_target_even_without_deals(admin, member) -> None:
    rep, idle = member(Role.SALES), member(Role.SALES)
    _pipeline, stages = seed_pipeline(admin.workspace)
    march = datetime.date(2026, 3, 1)
    bulk_deals(admin.workspace, stages, furthest=[5], owner=rep.user, amount=Decimal("1500"))
    Opportunity.objects.update(closed_at=at(datetime.date(2026, 3, 10)))
    SalesTargetFactory(
        workspace=admin.workspace, user=rep.user, month=march, amount=Decimal("1000")
    )
    SalesTargetFactory(
        workspace=admin.workspace, user=idle.user, month=march, amount=Decimal("800")
    )
    p = params(admin.workspace, start=march, end=datetime.date(2026, 3, 31), group_by=GroupBy.OWNER)
    rows = {row.key: row for row in forecast_report(admin, p).rows}
    assert rows[rep.user.pk].attainment == Decimal("150.0")
    assert rows[idle.user.pk].won == 0 and rows[idle.user.pk].attainment == Decimal("0.0")


@pytest.mark.django_db
def test_forecast_total_target_uses_team_targets_without_adding_member_targets(
    admin, member
) -> None:
    team = TeamFactory(workspace=admin.workspace)
    rep = member(Role.SALES, team=team)
    march = datetime.date(2026, 3, 1)
    SalesTargetFactory(workspace=admin.workspace, team=team, month=march, amount=Decimal("5000"))
    SalesTargetFactory(
        workspace=admin.workspace, user=rep.user, month=march, amount=Decimal("4000")
    )
    p = params(admin.workspace, start=march, end=datetime.date(2026, 3, 31))
    assert forecast_report(admin, p).rows[0].target == Decimal("5000.00")
    by_team = forecast_report(
        admin,
        params(admin.workspace, start=march, end=datetime.date(2026, 3, 31), group_by=GroupBy.TEAM),
    )
    assert [(row.label, row.target) for row in by_team.rows] == [(team.name, Decimal("5000.00"))]


@pytest.mark.django_db
def test_reports_run_a_constant_number_of_queries(admin, member) -> None:
    team = TeamFactory(workspace=admin.workspace)
    rep = member(Role.SALES, team=team)
    _pipeline, stages = seed_pipeline(admin.workspace)
    ws = admin.workspace

    def run() -> int:
        with CaptureQueriesContext(connection) as queries:
            for group_by in ("", GroupBy.OWNER, GroupBy.TEAM):
                p = params(ws, group_by=group_by)
                pipeline_value_report(admin, p)
                forecast_report(admin, p)
            efficiency_report(admin, params(ws))
        return len(queries)

    bulk_deals(ws, stages, furthest=[2], owner=rep.user, amount=Decimal("1"), expected_close=TODAY)
    one = run()
    bulk_deals(
        ws,
        stages,
        furthest=[1, 2, 3, 5] * 50,
        owner=rep.user,
        amount=Decimal("1"),
        expected_close=TODAY,
    )
    bulk_deals(
        ws,
        stages,
        furthest=[1, 2] * 50,
        owner=admin.user,
        amount=Decimal("1"),
        expected_close=TODAY,
    )
    assert run() == one


@pytest.mark.django_db
def test_drill_down_of_forecast_and_efficiency(admin) -> None:
    _pipeline, stages = seed_pipeline(admin.workspace)
    march = datetime.date(2026, 3, 1)
    open_deals = bulk_deals(
        admin.workspace,
        stages,
        furthest=[2],
        owner=admin.user,
        expected_close=datetime.date(2026, 3, 9),
    )
    won = bulk_deals(admin.workspace, stages, furthest=[5], owner=admin.user)
    Opportunity.objects.filter(pk=won[0].pk).update(closed_at=at(datetime.date(2026, 3, 3)))
    ws = admin.workspace
    assert list(deals_behind(admin, "forecast", params(ws, month=march))) == open_deals
    assert list(deals_behind(admin, "forecast", params(ws, month=march, outcome="won"))) == won
    today = timezone.localdate()
    efficiency = params(ws, start=today, end=today, owner=admin.user, outcome="won")
    assert list(deals_behind(admin, "efficiency", efficiency)) == won
    assert deals_behind(admin, "nonsense", params(ws)).count() == 0
    assert Opportunity.objects.filter(status=OpportunityStatus.WON).count() == 1
