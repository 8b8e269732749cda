"""The lead journey in a real browser: a visitor submits the public web form (UTM in the page
address) → the lead is scored and assigned by the rules → a manager converts it. Screenshots
go to test-artifacts/."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from playwright.sync_api import Page, expect

from guanxi.assignment.tests.factories import AssignmentRuleFactory
from guanxi.core.testing_browser import context_args, screenshot_taker
from guanxi.leads.models import Lead
from guanxi.leads.webform import web_form_for
from guanxi.opportunities.models import Opportunity
from guanxi.users.tests.factories import TEST_PASSWORD, UserFactory
from guanxi.workspaces.choices import Role
from guanxi.workspaces.tests.factories import MembershipFactory, TeamFactory, WorkspaceFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def browser_context_args(browser_context_args):
    return context_args(browser_context_args, locale="en-US")


shot = screenshot_taker("leads")


def test_web_form_to_converted_lead(page: Page, live_server) -> None:
    # given a workspace with a team, a round-robin rule and a published web form
    cache.clear()
    workspace = WorkspaceFactory(name="上海关系科技", slug="main")
    team = TeamFactory(workspace=workspace, name="华东销售")
    rep = UserFactory(username="xiaoli")
    MembershipFactory(workspace=workspace, user=rep, role=Role.SALES, team=team)
    manager = UserFactory(username="boss")
    MembershipFactory(workspace=workspace, user=manager, role=Role.MANAGER, team=team)
    AssignmentRuleFactory(
        workspace=workspace, name="华东轮询", target_kind="team", target_team=team
    )
    web_form = web_form_for(workspace)
    page.set_default_timeout(10_000)

    # when a visitor arrives from a campaign link and submits the form
    page.goto(f"{live_server.url}/f/{web_form.token}/?utm_source=baidu&utm_campaign=spring")
    page.fill("#id_name", "韩梅梅")
    page.fill("#id_company_name", "北京星辰科技")
    page.fill("#id_mobile", "13711112222")
    page.check("#id_consent")
    shot(page, "1-public-form")
    page.click("button[type=submit]")
    expect(page.locator("#thanks")).to_be_visible()

    # then the lead exists, scored, assigned by the rule, with the campaign and consent
    lead = Lead.objects.get()
    assert (lead.owner_id, lead.utm_source, lead.utm_campaign, lead.consent) == (
        rep.pk,
        "baidu",
        "spring",
        True,
    )

    # and the manager sees it with its score breakdown and converts it
    page.goto(f"{live_server.url}/accounts/login/?next=/leads/")
    page.fill("input[name=username]", "boss")
    page.fill("input[name=password]", TEST_PASSWORD)
    page.click("button[type=submit]")
    expect(page).to_have_url(re.compile(r"/leads/$"))
    expect(page.locator("#object-table tbody tr")).to_have_count(1)
    page.click("#object-table tbody tr a")
    expect(page.locator("#score-breakdown")).to_contain_text("Industry")
    shot(page, "2-detail")
    page.click(f"a[href='/leads/{lead.pk}/convert/']")
    page.fill("#id_opportunity_name", "星辰 CRM")
    page.fill("#id_amount", "50000")
    page.click(".card-footer button[type=submit]")
    expect(page.locator(".alert-info")).to_contain_text("read-only")
    shot(page, "3-converted")
    lead.refresh_from_db()
    assert lead.status == "converted"
    assert Opportunity.objects.get().name == "星辰 CRM"
    assert page.locator(f"a[href='/leads/{lead.pk}/edit/']").count() == 1
