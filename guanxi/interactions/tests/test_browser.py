"""Quick logging in a real browser: on a contact's page, log a call through the compact form and
see it at the top of the timeline without the page reloading. Screenshots go to test-artifacts/."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from guanxi.companies.tests.factories import CompanyFactory
from guanxi.contacts.tests.factories import ContactFactory
from guanxi.core.testing_browser import context_args, screenshot_taker
from guanxi.interactions.models import Interaction
from guanxi.interactions.tests.factories import InteractionFactory
from guanxi.users.tests.factories import TEST_PASSWORD, UserFactory
from guanxi.workspaces.choices import Role
from guanxi.workspaces.tests.factories import MembershipFactory, WorkspaceFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def browser_context_args(browser_context_args):
    return context_args(browser_context_args)


shot = screenshot_taker("interactions")


def test_log_an_interaction_from_the_contact_page(page: Page, live_server) -> None:
    # given a sales member and a contact at a company with one earlier interaction
    workspace = WorkspaceFactory(name="上海关系科技", slug="main")
    user = UserFactory(username="xiaoming")
    MembershipFactory(workspace=workspace, user=user, role=Role.SALES)
    company = CompanyFactory(workspace=workspace, name="杭州贸易有限公司", owner=user)
    contact = ContactFactory(workspace=workspace, name="王经理", company=company, owner=user)
    InteractionFactory(
        workspace=workspace,
        contact=contact,
        company=company,
        owner=user,
        subject="初次电话",
        occurred_at=timezone.now() - timedelta(days=2),
    )
    csp_errors: list[str] = []
    page.on(
        "console",
        lambda message: (
            csp_errors.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.set_default_timeout(10_000)

    # when they log in and open the contact
    page.goto(f"{live_server.url}/accounts/login/?next={contact.get_absolute_url()}")
    page.fill("input[name=username]", "xiaoming")
    page.fill("input[name=password]", TEST_PASSWORD)
    page.click("button[type=submit]")
    expect(page).to_have_url(re.compile(re.escape(contact.get_absolute_url()) + "$"))
    timeline = page.locator(".timeline-panel .timeline")
    interactions = timeline.locator(".timeline-event[data-kind=interaction]")
    expect(interactions.first).to_contain_text("初次电话")
    shot(page, "1-contact")
    page.evaluate("window.notReloaded = true")

    # and submit the quick form without a subject: the error shows inline, nothing is saved
    form = page.locator("form.quick-log-form")
    form.locator("button[type=submit]").click()
    expect(form.locator("[data-errors-for$=-subject]")).not_to_be_empty()
    assert not Interaction.objects.filter(subject="").exists()
    shot(page, "2-inline-error")

    # then fill it in and log it
    page.select_option("form.quick-log-form [name=channel]", "wechat")
    page.select_option("form.quick-log-form [name=status]", "awaiting_reply")
    page.fill("form.quick-log-form [name=subject]", "微信确认报价")
    page.fill("form.quick-log-form [name=content]", "客户要求下周给出<b>最终报价</b>")
    page.locator("form.quick-log-form button[type=submit]").click()

    # the new interaction is at the top of the timeline, the form is empty again, no reload
    expect(timeline.locator(".timeline-event").first).to_contain_text("微信确认报价")
    expect(interactions.nth(1)).to_contain_text("初次电话")
    expect(page.locator("form.quick-log-form .alert-success")).to_be_visible()
    expect(page.locator("form.quick-log-form [name=subject]")).to_have_value("")
    assert page.evaluate("window.notReloaded") is True
    logged = Interaction.objects.get(subject="微信确认报价")
    assert (logged.contact_id, logged.company_id, logged.channel) == (
        contact.pk,
        company.pk,
        "wechat",
    )
    shot(page, "3-logged")

    # filtering the timeline to interactions keeps both; the company page shows it too
    page.locator(".timeline-kinds [data-kind=interaction]").click()
    expect(page.locator(".timeline-kinds [data-kind=interaction]")).to_have_class(
        re.compile("active")
    )
    expect(timeline.locator(".timeline-event")).to_have_count(2)
    page.goto(f"{live_server.url}{company.get_absolute_url()}")
    expect(page.locator(".timeline-panel")).to_contain_text("微信确认报价")
    shot(page, "4-company")
    assert csp_errors == [], csp_errors


def test_complete_an_overdue_follow_up_on_the_home_page(page: Page, live_server) -> None:
    # given a sales member with one overdue follow-up and one due today
    workspace = WorkspaceFactory(name="上海关系科技", slug="main")
    user = UserFactory(username="lilei")
    MembershipFactory(workspace=workspace, user=user, role=Role.SALES)
    today = timezone.localdate()
    late = InteractionFactory(
        workspace=workspace, owner=user, subject="回访报价", next_follow_up=today - timedelta(2)
    )
    InteractionFactory(workspace=workspace, owner=user, subject="今天回电", next_follow_up=today)
    page.set_default_timeout(10_000)

    # when they log in, the home page lists both
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "lilei")
    page.fill("input[name=password]", TEST_PASSWORD)
    page.click("button[type=submit]")
    follow_ups = page.locator(".follow-ups")
    expect(follow_ups).to_contain_text("回访报价")
    expect(follow_ups).to_contain_text("今天回电")
    shot(page, "5-home-follow-ups")
    page.evaluate("window.notReloaded = true")

    # and "Done" on the overdue one marks it done in place
    item = follow_ups.locator(".follow-up-item", has_text="回访报价")
    item.locator("button[type=submit]").click()
    expect(follow_ups.locator(".follow-up-item", has_text="回访报价").locator("s")).to_be_visible()
    assert page.evaluate("window.notReloaded") is True
    late.refresh_from_db()
    assert late.follow_up_done is True
    shot(page, "6-follow-up-done")
