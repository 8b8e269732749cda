"""The report endpoints return the dashboard's figures; the targets API is scoped and validated."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from guanxi.analytics.models import SalesTarget
from guanxi.analytics.tests.factories import (
    SEED_EFFICIENCY,
    SalesTargetFactory,
    bulk_deals,
    seed_efficiency,
    seed_funnel_tops,
    seed_pipeline,
)
from guanxi.analytics.tests.test_reports import at
from guanxi.core.testing import row_state
from guanxi.opportunities.models import Opportunity
from guanxi.workspaces.choices import Role
from guanxi.workspaces.tests.factories import TeamFactory

pytestmark = pytest.mark.django_db

THIS_YEAR = timezone.localdate().year


def url(name: str) -> str:
    return reverse(f"api:analytics-{name}")


def this_year(month: int, day: int) -> datetime.date:
    return datetime.date(THIS_YEAR, month, day)


# --- reports -------------------------------------------------------------------------------
def test_the_funnel_endpoint_gives_the_seeds_conversions(admin, api_client) -> None:
    # given the seeds' funnel entered this year
    pipeline, stages = seed_pipeline(admin.workspace)
    bulk_deals(admin.workspace, stages, furthest=seed_funnel_tops(), entered_at=at(this_year(1, 5)))
    # when
    response = api_client(admin).get(url("funnel"), {"pipeline": str(pipeline.pk)})
    # then
    assert response.status_code == 200, response.json()
    body = response.json()
    assert [row["count"] for row in body["stages"]] == [1000, 900, 720, 480, 320, 240]
    assert [row["conversion"] for row in body["stages"]] == [
        None,
        "90.0",
        "80.0",
        "66.7",
        "66.7",
        "75.0",
    ]
    assert body["overall_conversion"] == "24.0"
    assert body["period"] == {"start": f"{THIS_YEAR}-01-01", "end": f"{THIS_YEAR}-12-31"}


def test_the_efficiency_endpoint_gives_the_seeds_table(admin, member, api_client) -> None:
    owners = {}
    for name, *_rest in SEED_EFFICIENCY:
        owners[name] = member(Role.SALES).user
        owners[name].display_name = name
        owners[name].save()
    _pipeline, stages = seed_pipeline(admin.workspace)
    seed_efficiency(admin.workspace, stages, owners, created=at(this_year(1, 2)))
    response = api_client(admin).get(url("efficiency"))
    assert response.status_code == 200
    rows = {row["label"]: row for row in response.json()["rows"]}
    assert {
        name: (row["total"], row["won"], row["avg_days_to_close"], row["index"])
        for name, row in rows.items()
    } == {
        "张三": (150, 45, "30.0", "0.30"),
        "李四": (120, 30, "25.0", "0.25"),
        "王五": (180, 60, "35.0", "0.33"),
    }


def seed_mixed(admin, member):
    """Two reps in a team and out of it, open and won deals over two months, targets."""
    team = TeamFactory(workspace=admin.workspace, name="华南")
    rep = member(Role.SALES, team=team)
    ws = admin.workspace
    _pipeline, stages = seed_pipeline(ws)
    bulk_deals(
        ws,
        stages,
        furthest=[1, 3],
        owner=rep.user,
        amount=Decimal("1200.50"),
        expected_close=this_year(3, 3),
        entered_at=at(this_year(2, 1)),
        source="web",
    )
    bulk_deals(
        ws,
        stages,
        furthest=[4],
        owner=admin.user,
        amount=Decimal("0.35"),
        expected_close=this_year(4, 30),
        entered_at=at(this_year(2, 1)),
    )
    won = bulk_deals(
        ws,
        stages,
        furthest=[5],
        owner=rep.user,
        amount=Decimal("777.77"),
        entered_at=at(this_year(2, 1)),
    )
    Opportunity.objects.filter(pk=won[0].pk).update(closed_at=at(this_year(3, 20)))
    SalesTargetFactory(workspace=ws, team=team, month=this_year(3, 1), amount=Decimal("3000"))
    SalesTargetFactory(workspace=ws, user=rep.user, month=this_year(3, 1), amount=Decimal("2500"))
    return team, rep


@pytest.mark.parametrize("group_by", ["", "owner", "team"])
def test_the_api_returns_the_same_figures_as_the_dashboard(
    group_by, admin, member, api_client
) -> None:
    # given a mix of deals and targets
    seed_mixed(admin, member)
    client = api_client(admin)
    query = {"group_by": group_by} if group_by else {}
    # when the dashboard's panels and the API are asked with the same filters
    page = {
        name: client.get(reverse("analytics:panel", args=[name]), query).context[name]
        for name in ("value", "forecast", "funnel", "efficiency")
    }
    value = client.get(url("pipeline-value"), query).json()
    forecast = client.get(url("forecast"), query).json()
    funnel = client.get(url("funnel"), query).json()
    efficiency = client.get(url("efficiency"), query).json()
    # then every figure is the same
    assert value["weighted"] == str(page["value"].total.weighted)
    assert value["amount"] == str(page["value"].total.amount)
    assert [(r["label"], r["weighted"]) for r in value["by_stage"]] == [
        (r.label, str(r.weighted)) for r in page["value"].by_stage
    ]
    assert [(r["key"], r["weighted"]) for r in value["by_group"]] == [
        (str(r.key) if r.key else None, str(r.weighted)) for r in page["value"].by_group
    ]
    assert [
        (r["month"], r["won"], r["weighted"], r["forecast"], r["target"], r["attainment"])
        for r in forecast["rows"]
    ] == [
        (
            r.month.isoformat(),
            str(r.won),
            str(r.weighted),
            str(r.forecast),
            None if r.target is None else str(r.target),
            None if r.attainment is None else str(r.attainment),
        )
        for r in page["forecast"].rows
    ]
    assert [(r["count"], r["conversion"]) for r in funnel["stages"]] == [
        (r.count, None if r.conversion is None else str(r.conversion))
        for r in page["funnel"].stages
    ]
    assert [(r["total"], r["won"], r["index"]) for r in efficiency["rows"]] == [
        (r.total, r.won, str(r.index)) for r in page["efficiency"]
    ]


def test_forecast_totals_are_exact_decimals(admin, member, api_client) -> None:
    seed_mixed(admin, member)
    body = (
        api_client(admin)
        .get(url("forecast"), {"start": f"{THIS_YEAR}-03-01", "end": f"{THIS_YEAR}-04-30"})
        .json()
    )
    march, april = body["rows"]
    # 1,200.50 × 20 % + 1,200.50 × 60 % = 960.40; 0.35 × 80 % = 0.28
    assert (march["open_amount"], march["weighted"], march["won"]) == (
        "2401.00",
        "960.40",
        "777.77",
    )
    assert march["forecast"] == "1738.17"
    assert (march["target"], march["attainment"], march["forecast_attainment"]) == (
        "3000.00",
        "25.9",
        "57.9",
    )
    assert (april["weighted"], april["target"]) == ("0.28", None)
    assert body["totals"]["weighted"] == "960.68"


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"start": "yesterday"}, "start"),
        ({"start": "2026-05-01", "end": "2026-04-01"}, "end"),
        ({"start": "2000-01-01", "end": "2026-01-01"}, "end"),
        ({"owner": "not-a-uuid"}, "owner"),
        ({"source": "<script>alert(1)</script>"}, "source"),
        ({"group_by": "workspace"}, "group_by"),
    ],
)
def test_bad_filters_are_a_400_naming_the_field(query, field, admin, api_client) -> None:
    response = api_client(admin).get(url("forecast"), query)
    assert response.status_code == 400
    assert field in response.json()["error"]["fields"]


def test_another_workspaces_pipeline_owner_or_team_is_a_400(
    admin, member, other_workspace, api_client
) -> None:
    foreign_pipeline, _stages = seed_pipeline(other_workspace)
    foreign_user = member(Role.ADMIN, in_workspace=other_workspace).user
    foreign_team = TeamFactory(workspace=other_workspace)
    client = api_client(admin)
    for name, value in (
        ("pipeline", foreign_pipeline.pk),
        ("owner", foreign_user.pk),
        ("team", foreign_team.pk),
    ):
        response = client.get(url("funnel"), {name: str(value)})
        assert response.status_code == 400, name
        assert name in response.json()["error"]["fields"]


def test_a_sales_rep_gets_the_figures_of_their_own_deals(member, api_client) -> None:
    rep, colleague = member(Role.SALES), member(Role.SALES)
    _pipeline, stages = seed_pipeline(rep.workspace)
    bulk_deals(rep.workspace, stages, furthest=[2], owner=rep.user, amount=Decimal("100"))
    bulk_deals(rep.workspace, stages, furthest=[2], owner=colleague.user, amount=Decimal("900"))
    body = api_client(rep).get(url("pipeline-value")).json()
    assert (body["count"], body["amount"], body["weighted"]) == (1, "100.00", "40.00")


@pytest.mark.parametrize("name", ["funnel", "pipeline-value", "forecast", "efficiency"])
def test_anonymous_callers_get_401(name, db) -> None:
    from rest_framework.test import APIClient

    response = APIClient().get(url(name))
    assert response.status_code == 401


@pytest.mark.parametrize("role", [Role.VIEWER, Role.SERVICE, Role.MARKETING])
def test_read_only_roles_may_read_the_reports(role, member, api_client) -> None:
    assert api_client(member(role)).get(url("funnel")).status_code == 200


def test_report_endpoints_are_read_only(admin, api_client) -> None:
    assert api_client(admin).post(url("funnel"), {}, format="json").status_code == 405


def test_the_report_endpoints_run_a_constant_number_of_queries(admin, member, api_client) -> None:
    client = api_client(admin)
    rep = member(Role.SALES)
    _pipeline, stages = seed_pipeline(admin.workspace)
    bulk_deals(
        admin.workspace, stages, furthest=[2], owner=rep.user, expected_close=this_year(6, 1)
    )
    names = ["funnel", "pipeline-value", "forecast", "efficiency"]
    for name in names:
        client.get(url(name))  # warm the session

    def counts() -> list[int]:
        result = []
        for name in names:
            with CaptureQueriesContext(connection) as queries:
                assert (
                    client.get(
                        url(name), {"group_by": "owner"} if name != "funnel" else {}
                    ).status_code
                    == 200
                )
            result.append(len(queries))
        return result

    one = counts()
    for index in range(20):
        extra = member(Role.SALES).user
        bulk_deals(
            admin.workspace,
            stages,
            furthest=[index % 6] * 5,
            owner=extra,
            expected_close=this_year(1 + index % 12, 1),
        )
    assert counts() == one


# --- targets -------------------------------------------------------------------------------
TARGETS = "api:salestarget-list"


def target_url(target) -> str:
    return reverse("api:salestarget-detail", args=[target.pk])


def test_a_manager_sets_a_users_target_and_the_month_is_normalised(member, api_client) -> None:
    manager = member(Role.MANAGER)
    rep = member(Role.SALES)
    response = api_client(manager).post(
        reverse(TARGETS),
        {"user": str(rep.user.pk), "month": "2026-03-17", "amount": "120000.00"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    target = SalesTarget.objects.get()
    assert (target.user, target.team, target.month, target.amount) == (
        rep.user,
        None,
        datetime.date(2026, 3, 1),
        Decimal("120000.00"),
    )
    assert response.json()["month"] == "2026-03-01"
    assert response["ETag"] == target.etag


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"month": "2026-03-01", "amount": "1"}, "user"),
        ({"month": "2026-03-01", "amount": "-1"}, "amount"),
        ({"month": "2026-03-01", "amount": "1e20"}, "amount"),
        ({"month": "March", "amount": "1"}, "month"),
    ],
)
def test_invalid_targets_are_refused(payload, field, admin, api_client) -> None:
    team = TeamFactory(workspace=admin.workspace)
    if field != "user":
        payload = {**payload, "team": str(team.pk)}
    response = api_client(admin).post(reverse(TARGETS), payload, format="json")
    assert response.status_code == 400
    assert field in response.json()["error"]["fields"]
    assert not SalesTarget.objects.exists()


def test_a_target_for_both_a_user_and_a_team_is_refused(admin, api_client) -> None:
    team = TeamFactory(workspace=admin.workspace)
    payload = {
        "user": str(admin.user.pk),
        "team": str(team.pk),
        "month": "2026-03-01",
        "amount": "1",
    }
    response = api_client(admin).post(reverse(TARGETS), payload, format="json")
    assert response.status_code == 400
    assert not SalesTarget.objects.exists()


def test_a_second_target_for_the_same_month_is_refused(admin, api_client) -> None:
    SalesTargetFactory(workspace=admin.workspace, user=admin.user, month=datetime.date(2026, 3, 1))
    payload = {"user": str(admin.user.pk), "month": "2026-03-31", "amount": "1"}
    response = api_client(admin).post(reverse(TARGETS), payload, format="json")
    assert response.status_code == 400
    assert SalesTarget.objects.count() == 1


def test_another_workspaces_team_or_user_is_a_400(
    admin, member, other_workspace, api_client
) -> None:
    client = api_client(admin)
    foreign_team = TeamFactory(workspace=other_workspace)
    foreign_user = member(Role.ADMIN, in_workspace=other_workspace).user
    for payload in ({"team": str(foreign_team.pk)}, {"user": str(foreign_user.pk)}):
        response = client.post(
            reverse(TARGETS), {**payload, "month": "2026-03-01", "amount": "1"}, format="json"
        )
        assert response.status_code == 400
    assert not SalesTarget.objects.exists()


def test_targets_list_only_this_workspace(admin, other_workspace, api_client) -> None:
    mine = SalesTargetFactory(
        workspace=admin.workspace, team=TeamFactory(workspace=admin.workspace)
    )
    SalesTargetFactory(workspace=other_workspace, team=TeamFactory(workspace=other_workspace))
    response = api_client(admin).get(reverse(TARGETS))
    assert [row["id"] for row in response.json()["results"]] == [str(mine.pk)]


def test_sales_reps_read_targets_but_may_not_change_them(member, api_client) -> None:
    rep = member(Role.SALES)
    target = SalesTargetFactory(workspace=rep.workspace, user=rep.user)
    before = row_state(target)
    client = api_client(rep)
    assert client.get(target_url(target)).status_code == 200
    assert client.patch(target_url(target), {"amount": "1"}, format="json").status_code == 403
    assert client.delete(target_url(target)).status_code == 403
    assert row_state(target) == before


def test_a_stale_etag_is_refused_and_a_current_one_updates(admin, api_client) -> None:
    target = SalesTargetFactory(workspace=admin.workspace, user=admin.user)
    client = api_client(admin)
    stale = client.get(target_url(target))["ETag"]
    assert client.patch(target_url(target), {"amount": "5.00"}, format="json").status_code == 200
    response = client.patch(
        target_url(target), {"amount": "6.00"}, format="json", HTTP_IF_MATCH=stale
    )
    assert response.status_code == 412
    target.refresh_from_db()
    assert target.amount == Decimal("5.00")
    assert client.delete(target_url(target), HTTP_IF_MATCH=target.etag).status_code == 204
