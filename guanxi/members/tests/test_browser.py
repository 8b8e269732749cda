"""A member's life in a real browser: enrol a contact from its page, record a purchase that
makes them VIP, redeem points, see the membership card. Screenshots go to test-artifacts/."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from guanxi.contacts.tests.factories import ContactFactory
from guanxi.core.testing_browser import context_args, screenshot_taker
from guanxi.members.models import Member
from guanxi.users.tests.factories import TEST_PASSWORD, UserFactory
from guanxi.workspaces.choices import Role
from guanxi.workspaces.tests.factories import MembershipFactory, WorkspaceFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def browser_context_args(browser_context_args):
    return context_args(browser_context_args, locale="en-US")


shot = screenshot_taker("members")


def test_enrol_buy_and_redeem(page: Page, live_server) -> None:
    # given a sales member with a contact of their own
    workspace = WorkspaceFactory(name="上海关系科技", slug="main", language="en")
    user = UserFactory(username="xiaoming")
    MembershipFactory(workspace=workspace, user=user, role=Role.SALES)
    contact = ContactFactory(workspace=workspace, name="王小明", owner=user)
    page.set_default_timeout(10_000)
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)

    page.goto(f"{live_server.url}/accounts/login/?next=/contacts/{contact.pk}/")
    page.fill("input[name=username]", "xiaoming")
    page.fill("input[name=password]", TEST_PASSWORD)
    page.click("button[type=submit]")
    panel = page.locator("#membership-panel")
    expect(panel).to_contain_text("Not a member yet")
    shot(page, "1-contact-not-member")

    # when they enrol the contact from the membership panel
    panel.get_by_role("link", name="Enrol as member").click()
    page.fill("#id_interest_tags", "茶, 运动户外")
    page.click(".card-footer button[type=submit]")
    expect(page.locator("h2.page-title")).to_have_text("VIP00000001")
    member = Member.objects.get()

    # and record a purchase of 1,200.00 with two items
    page.locator(".page-header").get_by_role("link", name="Add transaction").click()
    page.fill("#id_amount", "1200.00")
    page.fill("#id_channel", "淮海路店")
    page.fill("#id_items", "龙井, 2, 500\n碧螺春, 1, 200, BLC-1")
    shot(page, "2-transaction-form")
    page.click(".card-footer button[type=submit]")

    # then the member is VIP with 1,200 points
    expect(page.locator(".alert-success, .alert").first).to_contain_text("recorded")
    expect(page.locator("#member-transactions")).to_contain_text("龙井 × 2")
    expect(page.locator(".datagrid")).to_contain_text("1,200")
    expect(page.locator(".card-body .badge").first).to_have_text("VIP member")
    shot(page, "3-member-detail")

    # when they try to redeem too much, then a fitting amount
    page.locator(".page-header").get_by_role("link", name="Redeem points").click()
    page.fill("#id_points", "5000")
    page.click(".card-footer button[type=submit]")
    expect(page.locator("#errors-id_points")).to_contain_text("Only 1200 points")
    page.fill("#id_points", "200")
    page.click(".card-footer button[type=submit]")
    expect(page).to_have_url(re.compile(rf"/members/{member.pk}/$"))
    expect(page.locator("#member-ledger tbody tr")).to_have_count(2)

    # and the contact page shows the card with the level and the balance
    page.goto(f"{live_server.url}/contacts/{contact.pk}/")
    expect(panel).to_contain_text("VIP00000001")
    expect(panel).to_contain_text("1,000")
    shot(page, "4-contact-card")
    assert not [e for e in errors if "Content Security Policy" in e], errors
