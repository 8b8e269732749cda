"""The sales dashboard in a real browser: its panels load through htmx, the seeds' funnel draws
(under the strict CSP), its figures read right, and clicking a stage of the chart drills down to
the deals behind it; a panel whose request fails says so."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from guanxi.analytics.tests.factories import bulk_deals, seed_funnel_tops, seed_pipeline
from guanxi.core.testing_browser import ARTIFACTS, context_args
from guanxi.users.tests.factories import TEST_PASSWORD, UserFactory
from guanxi.workspaces.choices import Role
from guanxi.workspaces.tests.factories import MembershipFactory, WorkspaceFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def browser_context_args(browser_context_args):
    return context_args(browser_context_args)


def log_in(page: Page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/?next=/analytics/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", TEST_PASSWORD)
    page.click("button[type=submit]")
    expect(page).to_have_url(re.compile(r"/analytics/$"))


def test_dashboard_funnel_chart_and_drill_down(page: Page, live_server) -> None:
    # given a manager and the seeds' funnel this year
    workspace = WorkspaceFactory(name="上海关系科技", slug="main", language="zh-hans")
    user = UserFactory(username="laowang")
    MembershipFactory(workspace=workspace, user=user, role=Role.MANAGER)
    pipeline, stages = seed_pipeline(workspace)
    entered = timezone.make_aware(datetime.datetime(timezone.localdate().year, 1, 5, 10))
    bulk_deals(
        workspace,
        stages,
        furthest=seed_funnel_tops(),
        entered_at=entered,
        amount=Decimal("1000"),
        owner=user,
        expected_close=timezone.localdate(),
    )
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.set_default_timeout(10_000)

    # when they open the dashboard
    log_in(page, live_server, "laowang")

    # then every panel loads in its own request (the page comes with placeholders only)
    for table in (
        "value-table",
        "by-group-table",
        "funnel-table",
        "efficiency-table",
        "forecast-table",
    ):
        page.wait_for_selector(f"#{table}")
    expect(page.locator('[data-panel][aria-busy="true"]')).to_have_count(0)
    # and the funnel table shows the seeds' conversions and every chart drew a canvas
    conversions = page.locator('#funnel-table [data-figure="funnel-conversion"]')
    expect(conversions).to_have_text(["—", "90.0%", "80.0%", "66.7%", "66.7%", "75.0%"])
    for chart in ("funnel-chart", "value-chart", "forecast-chart"):
        expect(page.locator(f"#{chart} canvas")).to_have_count(1)
    assert not [e for e in errors if "Content Security Policy" in e or "echarts" in e.lower()]
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "analytics-1-dashboard.png"), full_page=True)

    # and clicking the chart's top stage lists the 1,000 deals behind it
    page.locator("#funnel-chart").scroll_into_view_if_needed()
    box = page.locator("#funnel-chart canvas").bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] * 0.12)
    expect(page).to_have_url(re.compile(r"/analytics/deals/\?.*report=funnel"))
    expect(page.locator(".card-footer")).to_contain_text(re.compile(r"1,?000"))
    page.screenshot(path=str(ARTIFACTS / "analytics-2-drill-down.png"), full_page=True)
    assert pipeline.pk


def test_a_panel_that_fails_to_load_says_so(page: Page, live_server) -> None:
    # given a member whose forecast panel request fails
    workspace = WorkspaceFactory(slug="main", language="zh-hans")
    user = UserFactory(username="xiaoli")
    MembershipFactory(workspace=workspace, user=user, role=Role.SALES)
    page.set_default_timeout(10_000)
    page.route("**/analytics/panels/forecast/**", lambda route: route.fulfill(status=500))
    # when they open the dashboard
    log_in(page, live_server, "xiaoli")
    # then the other panels load and the forecast's placeholder shows the error
    page.wait_for_selector("#efficiency-table")
    status = page.locator("#forecast-panel [data-panel-status]")
    expect(status).to_have_text("无法加载此报表，请刷新页面重试。")
    expect(status).to_have_attribute("role", "alert")
    expect(page.locator('[data-panel][aria-busy="true"]')).to_have_count(0)
    expect(page.locator("#forecast-table")).to_have_count(0)
