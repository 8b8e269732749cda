"""The dashboard, the drill-down pages and the targets pages."""

from __future__ import annotations

import datetime
import re
from dataclasses import replace
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from guanxi.analytics.models import SalesTarget
from guanxi.analytics.permissions import ANALYTICS_POLICY
from guanxi.analytics.tests.factories import (
    SalesTargetFactory,
    bulk_deals,
    seed_funnel_tops,
    seed_pipeline,
)
from guanxi.analytics.tests.test_reports import at
from guanxi.audit.models import AuditEvent
from guanxi.core.permissions import REGISTRY
from guanxi.core.testing import row_state
from guanxi.core.testing_views import ViewListTests, audit_events_of, ui_client
from guanxi.workspaces.choices import Role
from guanxi.workspaces.tests.factories import TeamFactory

pytestmark = pytest.mark.django_db

DASHBOARD = "analytics:dashboard"
PANEL = "analytics:panel"
THIS_YEAR = timezone.localdate().year


def seeds_funnel(workspace):
    pipeline, stages = seed_pipeline(workspace)
    deals = bulk_deals(
        workspace,
        stages,
        furthest=seed_funnel_tops(),
        entered_at=at(datetime.date(THIS_YEAR, 1, 5)),
        amount=Decimal("100"),
        expected_close=datetime.date(THIS_YEAR, 6, 1),
    )
    return pipeline, stages, deals


# --- dashboard: the page and its panels -----------------------------------------------------
def panel_url(name: str) -> str:
    return reverse(PANEL, args=[name])


def table_of(html: str, table_id: str) -> str:
    start = html.index(f'id="{table_id}"')
    return html[start : html.index("</table>", start)]


def test_the_page_shows_the_filters_and_loads_each_panel_with_them(admin) -> None:
    # given filters
    team = TeamFactory(workspace=admin.workspace)
    filters = {"start": f"{THIS_YEAR}-02-01", "end": f"{THIS_YEAR}-05-31", "team": team.pk}
    # when the page is asked for them
    response = ui_client(admin).get(reverse(DASHBOARD), {**filters, "group_by": "owner"})
    # then it shows the form and four placeholders, each fetching its panel with the filters
    assert response.status_code == 200
    html = response.content.decode()
    assert f'name="start" value="{THIS_YEAR}-02-01"' in html
    query = (
        f"start={THIS_YEAR}-02-01&amp;end={THIS_YEAR}-05-31&amp;team={team.pk}&amp;group_by=owner"
    )
    placeholders = re.findall(
        r'<div id="(\w+)-panel"[^>]*hx-get="([^"]+)" hx-trigger="load" hx-swap="outerHTML"', html
    )
    assert placeholders == [
        (name, f"{panel_url(name)}?{query}")
        for name in ("value", "funnel", "efficiency", "forecast")
    ]
    assert html.count("Loading…") == 4
    assert html.count("data-error-text=") == 4
    # and computes no report itself
    for key in ("funnel", "value", "forecast", "efficiency", "charts"):
        assert key not in response.context


def test_the_page_runs_no_report_query(admin) -> None:
    seeds_funnel(admin.workspace)
    client = ui_client(admin)
    with CaptureQueriesContext(connection) as page:
        client.get(reverse(DASHBOARD))
    assert not [q for q in page.captured_queries if "opportunities_opportunity" in q["sql"]]


def test_the_funnel_panel_shows_the_seeds_funnel_with_drill_down_links(admin) -> None:
    # given the seeds' funnel
    pipeline, _stages, _deals = seeds_funnel(admin.workspace)
    # when
    response = ui_client(admin).get(panel_url("funnel"), {"pipeline": pipeline.pk})
    # then the table shows exactly the seeds' conversions
    assert response.status_code == 200
    html = response.content.decode()
    table = table_of(html, "funnel-table")
    assert re.findall(r'data-figure="funnel-conversion">([^<]*)<', table) == [
        "—",
        "90.0%",
        "80.0%",
        "66.7%",
        "66.7%",
        "75.0%",
    ]
    counts = re.findall(r'data-figure="funnel-count">(\d+)<', table)
    assert counts == ["1000", "900", "720", "480", "320", "240"]
    assert re.search(r'data-figure="funnel-overall">24.0%<', html)
    # and each count links to the deals behind it, with the filters
    link = response.context["funnel"].stages[3].url
    assert f"pipeline={pipeline.pk}" in link and "report=funnel" in link
    assert link.replace("&", "&amp;") in table
    drill = ui_client(admin).get(link)
    assert drill.status_code == 200
    assert drill.context["page"].count == 480


def test_the_value_panel_shows_the_key_figures_and_links_every_row(admin, member) -> None:
    # given open deals of two reps
    _pipeline, stages = seed_pipeline(admin.workspace)
    rep, other = member(Role.SALES), member(Role.SALES)
    bulk_deals(admin.workspace, stages, furthest=[1, 1, 2], owner=rep.user, amount=Decimal("100"))
    bulk_deals(admin.workspace, stages, furthest=[2], owner=other.user, amount=Decimal("50"))
    client = ui_client(admin)
    # when
    response = client.get(panel_url("value"), {"group_by": "owner"})
    # then the key figures, the stage and the owner tables show
    assert response.status_code == 200
    html = response.content.decode()
    value = response.context["value"]
    assert (value.total.count, value.total.amount) == (4, Decimal("350.00"))
    total_url = response.context["value_total_url"].replace("&", "&amp;")
    assert f'href="{total_url}" data-figure="pipeline-amount"' in html
    assert f'href="{total_url}" data-figure="pipeline-weighted"' in html
    assert "350.00" in html
    assert table_of(html, "value-table").count("<tr>") == 1 + len(value.by_stage) == 3
    assert table_of(html, "by-group-table").count("<tr>") == 1 + len(value.by_group) == 3
    # and every link lists as many deals as its figure counts
    assert client.get(response.context["value_total_url"]).context["page"].count == 4
    for row in [*value.by_stage, *value.by_group]:
        assert row.url.replace("&", "&amp;") in html
        assert client.get(row.url).context["page"].count == row.count


def test_the_forecast_panel_links_won_and_open_deals_of_each_month(admin) -> None:
    seeds_funnel(admin.workspace)
    SalesTargetFactory(
        workspace=admin.workspace,
        team=TeamFactory(workspace=admin.workspace),
        month=datetime.date(THIS_YEAR, 6, 1),
        amount=Decimal("1000"),
    )
    client = ui_client(admin)
    response = client.get(panel_url("forecast"))
    assert response.status_code == 200
    html = response.content.decode()
    forecast = response.context["forecast"]
    assert len(forecast.rows) == 12
    assert table_of(html, "forecast-table").count("<tr>") == 13
    assert 'data-figure="forecast-total"' in html
    june = next(row for row in forecast.rows if row.month.month == 6)
    assert june.target == Decimal("1000.00")
    for row in forecast.rows:
        assert row.open_url.replace("&", "&amp;") in html
        assert row.won_url.replace("&", "&amp;") in html
    assert client.get(june.open_url).context["page"].count == june.open_count > 0
    assert "outcome=won" in june.won_url and client.get(june.won_url).status_code == 200


def test_the_efficiency_panel_links_each_owners_deals_and_wins(admin, member) -> None:
    _pipeline, stages = seed_pipeline(admin.workspace)
    rep = member(Role.SALES)
    entered = at(datetime.date(THIS_YEAR, 1, 5))
    bulk_deals(admin.workspace, stages, furthest=[1, 5, 5], owner=rep.user, entered_at=entered)
    client = ui_client(admin)
    response = client.get(panel_url("efficiency"))
    assert response.status_code == 200
    html = response.content.decode()
    [row] = response.context["efficiency"]
    assert (row.total, row.won) == (3, 2)
    assert table_of(html, "efficiency-table").count("<tr>") == 2
    assert row.url.replace("&", "&amp;") in html and row.won_url.replace("&", "&amp;") in html
    assert client.get(row.url).context["page"].count == 3
    assert client.get(row.won_url).context["page"].count == 2


def test_an_unknown_panel_is_a_404(admin) -> None:
    assert ui_client(admin).get(panel_url("secrets")).status_code == 404


@pytest.mark.parametrize("name", ["funnel", "value", "forecast"])
def test_each_chart_panel_passes_its_chart_data_without_inline_script(name, admin) -> None:
    seeds_funnel(admin.workspace)
    html = ui_client(admin).get(panel_url(name)).content.decode()
    assert f'<script id="{name}-chart-data" type="application/json">' in html
    assert f'data-chart="{name}"' in html
    scripts = re.findall(r"<script(?![^>]*application/json)[^>]*>", html)
    assert scripts == []
    assert " style=" not in html


def test_the_page_has_no_inline_script(admin) -> None:
    html = ui_client(admin).get(reverse(DASHBOARD)).content.decode()
    scripts = re.findall(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", html)
    assert scripts == []
    assert " style=" not in html and "hx-on" not in html
    assert "vendor/echarts/echarts.min.js" in html and "analytics/analytics.js" in html


def test_the_panels_without_any_pipeline_or_deal_show_empty_states(admin) -> None:
    client = ui_client(admin)
    assert "No pipeline yet" in client.get(panel_url("funnel")).content.decode()
    assert "No open deals" in client.get(panel_url("value")).content.decode()
    assert "No deals were created" in client.get(panel_url("efficiency")).content.decode()


def test_the_dashboard_speaks_chinese(admin) -> None:
    client = ui_client(admin)
    client.cookies["django_language"] = "zh-hans"
    response = client.get(reverse(DASHBOARD))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="zh-hans">' in html
    assert response.context["form"]["start"].label == "开始日期"
    assert html.count("加载中…") == 4
    assert "无法加载此报表" in html
    assert "尚无销售管道" in client.get(panel_url("funnel")).content.decode()


@pytest.mark.parametrize("name", ["", "funnel", "value", "forecast", "efficiency"])
def test_bad_filters_show_errors_and_the_default_reports(name, admin) -> None:
    url = panel_url(name) if name else reverse(DASHBOARD)
    response = ui_client(admin).get(
        url, {"start": f"{THIS_YEAR}-05-01", "end": f"{THIS_YEAR}-01-01"}
    )
    assert response.status_code == 200
    assert response.context["params"].start == datetime.date(THIS_YEAR, 1, 1)
    assert response.context["params"].end == datetime.date(THIS_YEAR, 12, 31)
    if not name:
        assert response.context["form"].errors["end"]
        # the panels are asked for the default period
        default = f"start={THIS_YEAR}-01-01&amp;end={THIS_YEAR}-12-31"
        assert response.content.decode().count(f'?{default}"') == 4


@pytest.mark.parametrize("name", ["", "funnel", "value", "forecast", "efficiency"])
def test_hostile_text_in_filters_is_refused_not_rendered(name, admin) -> None:
    url = panel_url(name) if name else reverse(DASHBOARD)
    response = ui_client(admin).get(url, {"source": "<script>alert(1)</script>"})
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.content.decode()
    assert response.context["params"].source == ""


@pytest.mark.parametrize("name", ["", "funnel", "value", "forecast", "efficiency"])
def test_anonymous_visitors_are_sent_to_the_login_page(name, db) -> None:
    url = panel_url(name) if name else reverse(DASHBOARD)
    response = Client().get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={url}"
    # a panel's htmx request (the session ran out) sends the whole page there
    response = Client().get(url, HTTP_HX_REQUEST="true")
    assert response["HX-Redirect"] == f"{reverse('login')}?next={url}"


@pytest.mark.parametrize("name", ["", "funnel", "value", "forecast", "efficiency"])
def test_a_role_without_the_analytics_view_is_refused(name, member, monkeypatch) -> None:
    # given a policy under which viewers may not read the reports
    viewer = member(Role.VIEWER)
    actions = {role: a for role, a in ANALYTICS_POLICY.actions.items() if role != Role.VIEWER}
    monkeypatch.setitem(REGISTRY, "analytics", replace(ANALYTICS_POLICY, actions=actions))
    seeds_funnel(viewer.workspace)
    url = panel_url(name) if name else reverse(DASHBOARD)
    # then the page and every panel are a 403, without any figure
    response = ui_client(viewer).get(url)
    assert response.status_code == 403
    html = response.content.decode()
    assert "funnel-table" not in html and "1000" not in html


def test_a_sales_rep_sees_only_their_deals_in_the_panels_and_drill_downs(member) -> None:
    rep, colleague = member(Role.SALES), member(Role.SALES)
    _pipeline, stages = seed_pipeline(rep.workspace)
    mine = bulk_deals(rep.workspace, stages, furthest=[2], owner=rep.user, amount=Decimal("10"))
    bulk_deals(rep.workspace, stages, furthest=[2], owner=colleague.user, amount=Decimal("90"))
    client = ui_client(rep)
    panel = client.get(panel_url("value")).context
    assert panel["value"].total.amount == Decimal("10.00")
    drill = client.get(panel["value_total_url"])
    assert [deal.pk for deal in drill.context["object_list"]] == [mine[0].pk]
    [row] = client.get(panel_url("efficiency")).context["efficiency"]
    assert row.owner_id == rep.user_id


# each panel: the session, the user and the membership (3), then its report's queries (funnel
# 3, pipeline value 4, forecast 5 grouped by team, efficiency 2), whatever the number of deals,
# owners and teams
PANEL_QUERIES = {"funnel": 6, "value": 7, "forecast": 8, "efficiency": 5}


@pytest.mark.parametrize("name", PANEL_QUERIES)
def test_each_panel_runs_a_constant_number_of_queries(
    name, admin, member, django_assert_max_num_queries
) -> None:
    team = TeamFactory(workspace=admin.workspace)
    _pipeline, stages = seed_pipeline(admin.workspace)
    client = ui_client(admin)
    client.get(panel_url(name))
    rep = member(Role.SALES, team=team)
    bulk_deals(
        admin.workspace,
        stages,
        furthest=[1],
        owner=rep.user,
        expected_close=datetime.date(THIS_YEAR, 2, 1),
    )
    with CaptureQueriesContext(connection) as one:
        client.get(panel_url(name), {"group_by": "team"})
    for index in range(10):
        other = member(Role.SALES, team=TeamFactory(workspace=admin.workspace)).user
        bulk_deals(
            admin.workspace,
            stages,
            furthest=[index % 6] * 10,
            owner=other,
            expected_close=datetime.date(THIS_YEAR, 1 + index, 1),
        )
    with django_assert_max_num_queries(PANEL_QUERIES[name]) as many:
        client.get(panel_url(name), {"group_by": "team"})
    assert len(many) == len(one), [q["sql"] for q in many.captured_queries]


def test_a_drill_down_link_without_a_report_is_a_400(admin) -> None:
    response = ui_client(admin).get(reverse("analytics:deals"), {"report": "secrets"})
    assert response.status_code == 400


def test_a_drill_down_never_lists_another_workspaces_deals(admin, other_workspace) -> None:
    _foreign_pipeline, foreign_stages = seed_pipeline(other_workspace)
    bulk_deals(other_workspace, foreign_stages, furthest=[1])
    foreign_stage = foreign_stages[1]
    response = ui_client(admin).get(
        reverse("analytics:deals"), {"report": "pipeline-value", "stage": foreign_stage.pk}
    )
    assert response.status_code == 400  # not a stage of this workspace
    response = ui_client(admin).get(reverse("analytics:deals"), {"report": "pipeline-value"})
    assert response.context["page"].count == 0


# --- targets -------------------------------------------------------------------------------
class TestSalesTargetPages(ViewListTests):
    namespace = "analytics:targets"
    model = SalesTarget

    def make(self, workspace, **kwargs):
        return SalesTargetFactory(workspace=workspace, team=TeamFactory(workspace=workspace))


def test_a_manager_adds_a_team_target_for_a_month(member) -> None:
    manager = member(Role.MANAGER)
    team = TeamFactory(workspace=manager.workspace)
    response = ui_client(manager).post(
        reverse("analytics:targets:create"),
        {"team": team.pk, "month": "2026-07", "amount": "50000"},
    )
    assert response.status_code == 302, response.context and response.context["form"].errors
    assert response["Location"] == reverse("analytics:targets:list")
    target = SalesTarget.objects.get()
    assert (target.team, target.user, target.month, target.amount) == (
        team,
        None,
        datetime.date(2026, 7, 1),
        Decimal("50000.00"),
    )
    assert [(e.action, e.actor_id) for e in audit_events_of(target)] == [
        ("create", manager.user_id)
    ]


def test_the_form_refuses_a_target_for_both_a_user_and_a_team(admin) -> None:
    team = TeamFactory(workspace=admin.workspace)
    response = ui_client(admin).post(
        reverse("analytics:targets:create"),
        {"team": team.pk, "user": admin.user.pk, "month": "2026-07", "amount": "1"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not SalesTarget.objects.exists()


def test_edit_and_delete_a_target_with_audit_events(admin) -> None:
    target = SalesTargetFactory(workspace=admin.workspace, user=admin.user)
    client = ui_client(admin)
    response = client.post(
        reverse("analytics:targets:edit", args=[target.pk]),
        {"user": admin.user.pk, "month": "2026-01", "amount": "7.50"},
    )
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.amount == Decimal("7.50")
    assert client.get(reverse("analytics:targets:delete", args=[target.pk])).status_code == 200
    assert client.post(reverse("analytics:targets:delete", args=[target.pk])).status_code == 302
    assert not SalesTarget.objects.exists()
    actions = [e.action for e in AuditEvent.objects.filter(object_id=str(target.pk), source="ui")]
    assert sorted(actions) == ["delete", "update"]


@pytest.mark.parametrize("page", ["create", "edit", "delete"])
def test_sales_reps_may_not_change_targets(page, member) -> None:
    rep = member(Role.SALES)
    target = SalesTargetFactory(workspace=rep.workspace, user=rep.user)
    before = row_state(target)
    client = ui_client(rep)
    url = reverse(f"analytics:targets:{page}", args=[] if page == "create" else [target.pk])
    assert client.get(url).status_code == 403
    assert (
        client.post(url, {"user": rep.user.pk, "month": "2026-02", "amount": "1"}).status_code
        == 403
    )
    assert row_state(target) == before
    assert SalesTarget.objects.count() == 1
    # but they see the list, without edit links
    listing = client.get(reverse("analytics:targets:list"))
    assert listing.status_code == 200
    assert reverse("analytics:targets:edit", args=[target.pk]) not in listing.content.decode()
