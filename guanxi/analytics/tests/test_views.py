"""The dashboard, the drill-down pages and the targets pages."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from guanxi.analytics.models import SalesTarget
from guanxi.analytics.tests.factories import (
    SalesTargetFactory,
    bulk_deals,
    seed_funnel_tops,
    seed_pipeline,
)
from guanxi.analytics.tests.test_reports import at
from guanxi.audit.models import AuditEvent
from guanxi.core.testing import row_state
from guanxi.core.testing_views import ViewListTests, audit_events_of, ui_client
from guanxi.workspaces.choices import Role
from guanxi.workspaces.tests.factories import TeamFactory

pytestmark = pytest.mark.django_db

DASHBOARD = "analytics:dashboard"
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


# --- dashboard -----------------------------------------------------------------------------
def test_the_dashboard_shows_the_seeds_funnel_with_drill_down_links(admin) -> None:
    # given the seeds' funnel
    pipeline, _stages, _deals = seeds_funnel(admin.workspace)
    # when
    response = ui_client(admin).get(reverse(DASHBOARD), {"pipeline": pipeline.pk})
    # then the table shows exactly the seeds' conversions
    assert response.status_code == 200
    html = response.content.decode()
    table = html[
        html.index('id="funnel-table"') : html.index("</table>", html.index('id="funnel-table"'))
    ]
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
    # and each count links to the deals behind it
    link = response.context["funnel"].stages[3].url
    drill = ui_client(admin).get(link)
    assert drill.status_code == 200
    assert drill.context["page"].count == 480


def test_the_dashboard_passes_chart_data_without_inline_script(admin) -> None:
    seeds_funnel(admin.workspace)
    html = ui_client(admin).get(reverse(DASHBOARD)).content.decode()
    assert '<script id="analytics-charts" type="application/json">' in html
    scripts = re.findall(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", html)
    assert scripts == []
    assert " style=" not in html
    assert "vendor/echarts/echarts.min.js" in html and "analytics/analytics.js" in html


def test_the_dashboard_without_any_pipeline_shows_empty_states(admin) -> None:
    response = ui_client(admin).get(reverse(DASHBOARD))
    assert response.status_code == 200
    assert "No pipeline yet" in response.content.decode()


def test_the_dashboard_speaks_chinese(admin) -> None:
    client = ui_client(admin)
    client.cookies["django_language"] = "zh-hans"
    response = client.get(reverse(DASHBOARD))
    assert response.status_code == 200
    assert '<html lang="zh-hans">' in response.content.decode()
    assert response.context["form"]["start"].label == "开始日期"


def test_bad_filters_show_errors_and_the_default_reports(admin) -> None:
    response = ui_client(admin).get(
        reverse(DASHBOARD), {"start": "2026-05-01", "end": "2026-01-01"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["end"]
    assert response.context["params"].start == datetime.date(THIS_YEAR, 1, 1)


def test_hostile_text_in_filters_is_refused_not_rendered(admin) -> None:
    response = ui_client(admin).get(reverse(DASHBOARD), {"source": "<script>alert(1)</script>"})
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.content.decode()


def test_anonymous_visitors_are_sent_to_the_login_page(db) -> None:
    url = reverse(DASHBOARD)
    response = Client().get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={url}"


def test_a_sales_rep_sees_only_their_deals_on_the_dashboard_and_in_drill_downs(member) -> None:
    rep, colleague = member(Role.SALES), member(Role.SALES)
    _pipeline, stages = seed_pipeline(rep.workspace)
    mine = bulk_deals(rep.workspace, stages, furthest=[2], owner=rep.user, amount=Decimal("10"))
    bulk_deals(rep.workspace, stages, furthest=[2], owner=colleague.user, amount=Decimal("90"))
    client = ui_client(rep)
    page = client.get(reverse(DASHBOARD)).context
    assert page["value"].total.amount == Decimal("10.00")
    drill = client.get(page["value_total_url"])
    assert [deal.pk for deal in drill.context["object_list"]] == [mine[0].pk]


def test_the_dashboard_runs_a_constant_number_of_queries(admin, member) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    team = TeamFactory(workspace=admin.workspace)
    _pipeline, stages = seed_pipeline(admin.workspace)
    client = ui_client(admin)
    client.get(reverse(DASHBOARD))
    rep = member(Role.SALES, team=team)
    bulk_deals(
        admin.workspace,
        stages,
        furthest=[1],
        owner=rep.user,
        expected_close=datetime.date(THIS_YEAR, 2, 1),
    )
    with CaptureQueriesContext(connection) as one:
        client.get(reverse(DASHBOARD), {"group_by": "team"})
    for index in range(10):
        other = member(Role.SALES, team=TeamFactory(workspace=admin.workspace)).user
        bulk_deals(
            admin.workspace,
            stages,
            furthest=[index % 6] * 10,
            owner=other,
            expected_close=datetime.date(THIS_YEAR, 1 + index, 1),
        )
    with CaptureQueriesContext(connection) as many:
        client.get(reverse(DASHBOARD), {"group_by": "team"})
    # the filter form's owner and team selects list the new members and teams: same queries
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
