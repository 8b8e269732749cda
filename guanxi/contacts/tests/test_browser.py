"""A person's day with contacts in a real browser: log in, create (fixing a bad mobile inline),
search, edit and see the history, switch to English, log out. Screenshots go to test-artifacts/."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from guanxi.contacts.models import Contact
from guanxi.core.testing_browser import context_args, screenshot_taker
from guanxi.users.tests.factories import TEST_PASSWORD, UserFactory
from guanxi.workspaces.choices import Role
from guanxi.workspaces.tests.factories import MembershipFactory, WorkspaceFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def browser_context_args(browser_context_args):
    # a Chinese-speaking user: the workspace default language, until they switch
    return context_args(browser_context_args)


shot = screenshot_taker("contacts")


def test_contact_round_trip(page: Page, live_server) -> None:
    # given a sales member of a workspace
    workspace = WorkspaceFactory(name="上海关系科技", slug="main")
    user = UserFactory(username="xiaoming")
    MembershipFactory(workspace=workspace, user=user, role=Role.SALES)
    page.set_default_timeout(10_000)

    # when they log in
    page.goto(f"{live_server.url}/accounts/login/?next=/contacts/")
    page.fill("input[name=username]", "xiaoming")
    page.fill("input[name=password]", TEST_PASSWORD)
    page.click("button[type=submit]")
    expect(page).to_have_url(re.compile(r"/contacts/$"))
    # the stylesheet loaded: Tabler styles the primary button
    background = page.locator(".btn-primary").first.evaluate(
        "el => getComputedStyle(el).backgroundColor"
    )
    assert background not in ("rgba(0, 0, 0, 0)", "rgb(239, 239, 239)")
    expect(page.locator(".empty-title")).to_contain_text("暂无联系人")
    shot(page, "1-empty-list")

    # and create a contact with an invalid mobile: the error appears while typing, inline
    page.locator(".page-header a.btn-primary").click()
    page.fill("#id_name", "王小明")
    page.fill("#id_mobile", "12345")
    page.press("#id_mobile", "Tab")
    expect(page.locator("#errors-id_mobile")).to_contain_text("中国大陆手机号")
    expect(page.locator("#id_mobile")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#errors-id_name")).to_be_empty()
    shot(page, "2-inline-error")
    assert not Contact.objects.exists()

    # fixing it clears the error; saving shows the record
    page.fill("#id_mobile", "138 0013 8000")
    page.press("#id_mobile", "Tab")
    expect(page.locator("#errors-id_mobile")).to_be_empty()
    page.fill("#id_email", "wang@example.com")
    page.click(".card-footer button[type=submit]")
    expect(page.locator("h2.page-title")).to_have_text("王小明")
    expect(page.locator(".datagrid")).to_contain_text("13800138000")
    shot(page, "3-detail")

    # then they find it by a partial name in the search box (htmx refreshes the table)
    page.goto(f"{live_server.url}/contacts/")
    page.fill("#list-search", "小明")
    expect(page).to_have_url(re.compile(r"search=%E5%B0%8F%E6%98%8E"))
    expect(page.locator("#object-table tbody tr")).to_have_count(1)
    page.fill("#list-search", "13800138000")
    expect(page).to_have_url(re.compile(r"search=13800138000"))
    expect(page.locator("#object-table tbody tr")).to_have_count(1)
    shot(page, "4-search")

    # and edit it: the change shows in its history
    page.click("#object-table tbody a:text('王小明')")
    page.locator(".page-header a[href$='/edit/']").click()
    page.fill("#id_job_title", "采购经理")
    page.click(".card-footer button[type=submit]")
    expect(page.locator(".datagrid")).to_contain_text("采购经理")
    expect(page.locator(".audit-history")).to_contain_text("采购经理")
    shot(page, "5-history")

    # switching to English
    page.locator(".language-switcher button[value=en]").first.click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator(".page-header")).to_contain_text("Edit")
    shot(page, "6-english")

    # and logging out
    page.locator("button[aria-label='Open user menu']").click()
    page.locator("form[action$='/logout/'] button").click()
    page.goto(f"{live_server.url}/contacts/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/contacts/"))
    shot(page, "7-logged-out")


def test_a_long_search_shows_its_rows_then_its_count(page: Page, live_server) -> None:
    # given 60 contacts named 张… (more than a page) and a member who searches for 张
    workspace = WorkspaceFactory(name="上海关系科技", slug="main")
    user = UserFactory(username="xiaoming")
    MembershipFactory(workspace=workspace, user=user, role=Role.ADMIN)
    Contact.objects.bulk_create(
        Contact(workspace=workspace, name=f"张{number:02d}") for number in range(60)
    )
    page.set_default_timeout(10_000)
    page.goto(f"{live_server.url}/accounts/login/?next=/contacts/")
    page.fill("input[name=username]", "xiaoming")
    page.fill("input[name=password]", TEST_PASSWORD)
    page.click("button[type=submit]")
    page.fill("#list-search", "张")
    expect(page).to_have_url(re.compile(r"search=%E5%BC%A0"))
    # then the first 50 rows show, and the count line fills in after them, in place
    expect(page.locator("#object-table tbody tr")).to_have_count(50)
    expect(page.locator(".card-footer p.text-secondary")).to_have_text("第 1–50 条，共 60 条")
    expect(page.locator("#object-table tbody tr")).to_have_count(50)
    assert "count=" not in page.url
    shot(page, "8-long-search-count")
