"""An administrator adds a custom field, fills it in on a contact, shows it as a list column and
filters by it, in a real browser. Screenshots go to test-artifacts/."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from guanxi.contacts.tests.factories import ContactFactory
from guanxi.core.models import Tag
from guanxi.core.testing_browser import context_args, screenshot_taker
from guanxi.users.tests.factories import TEST_PASSWORD, UserFactory
from guanxi.workspaces.choices import Role
from guanxi.workspaces.tests.factories import MembershipFactory, WorkspaceFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def browser_context_args(browser_context_args):
    return context_args(browser_context_args)


shot = screenshot_taker("customfields")


def test_custom_field_from_definition_to_list_column(page: Page, live_server) -> None:
    # given an administrator with two contacts and a grouped tag
    workspace = WorkspaceFactory(name="上海关系科技", slug="main")
    user = UserFactory(username="admin1")
    MembershipFactory(workspace=workspace, user=user, role=Role.ADMIN)
    ContactFactory(workspace=workspace, name="王芳")
    ContactFactory(workspace=workspace, name="李雷")
    Tag.objects.create(workspace=workspace, name="上海", group="地区")
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.set_default_timeout(10_000)
    page.goto(f"{live_server.url}/accounts/login/?next=/custom-fields/")
    page.fill("input[name=username]", "admin1")
    page.fill("input[name=password]", TEST_PASSWORD)
    page.click("button[type=submit]")
    expect(page.locator(".empty-title")).to_be_visible()
    shot(page, "1-no-fields")

    # when they add a choice field to contacts
    page.locator("a[href*='/custom-fields/new/']").first.click()
    expect(page).to_have_url(re.compile(r"/custom-fields/new/"))
    shot(page, "1b-new-field")
    page.fill("#id_label", "会员等级")
    page.fill("#id_key", "level")
    page.select_option("#id_type", "choice")
    page.fill("#id_choices_text", "金卡\n银卡")
    page.locator("form.card button[type=submit]").click()
    expect(page.locator("table")).to_contain_text("会员等级")
    shot(page, "2-field-list")

    # and set it on 王芳
    page.goto(f"{live_server.url}/contacts/")
    page.get_by_role("link", name="王芳").click()
    page.locator(".page-header").get_by_role("link", name=re.compile("编辑")).click()
    page.select_option("#id_cf_level", "金卡")
    page.locator("form button[type=submit].btn-primary").last.click()
    expect(page.locator("#custom-fields-panel")).to_contain_text("金卡")
    shot(page, "3-detail-panel")

    # then the list shows it as a column once chosen, and filters by it
    page.goto(f"{live_server.url}/contacts/")
    expect(page.locator('optgroup[label="地区"]').first).to_be_attached()
    page.locator("[data-bs-toggle=dropdown]", has_text=re.compile("列|Columns")).click()
    page.locator('input[name=column][value="cf:level"]').check()
    page.locator(".column-chooser button[type=submit]").first.click()
    expect(page.locator("thead")).to_contain_text("会员等级")
    expect(page.locator("tbody")).to_contain_text("金卡")
    page.select_option("#id_cf_level", "金卡")
    expect(page.locator("tbody tr")).to_have_count(1)
    shot(page, "4-list-column-filter")
    assert [e for e in errors if "Content Security Policy" in e] == []
