"""Importing a GBK spreadsheet in a real browser: two bad rows are reported with nothing
written, the fixed file imports with live progress, and the contacts are there.
Screenshots go to test-artifacts/."""

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

HEADER = "姓名,手机,邮箱,公司,性别\n"
GOOD = "王小明,13800138000,wang@example.com,上海关系科技,男\n李雷,13800138001,li@example.com,,男\n"
BAD = "赵四,12345,zhao@example.com,,男\n,13800138003,nobody@example.com,,女\n"
FIXED = "赵四,13800138002,zhao@example.com,,男\n韩梅梅,13800138003,han@example.com,,女\n"


@pytest.fixture
def browser_context_args(browser_context_args):
    return context_args(browser_context_args)


shot = screenshot_taker("imports")


def upload(page: Page, base: str, text: str) -> None:
    page.goto(f"{base}/data/import/")
    page.select_option("#id_target", "contacts")
    page.set_input_files(
        "#id_file",
        files=[{"name": "客户.csv", "mimeType": "text/csv", "buffer": text.encode("gbk")}],
    )
    shot(page, "1-upload")
    page.click(".card-footer button[type=submit]")
    expect(page).to_have_url(re.compile(r"/data/import/[0-9a-f-]+/$"))


def test_import_a_gbk_file_fix_it_and_import_again(page: Page, live_server) -> None:
    # given a sales member
    workspace = WorkspaceFactory(name="上海关系科技", slug="main")
    user = UserFactory(username="xiaoming")
    MembershipFactory(workspace=workspace, user=user, role=Role.SALES)
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}/accounts/login/?next=/data/")
    page.fill("input[name=username]", "xiaoming")
    page.fill("input[name=password]", TEST_PASSWORD)
    page.click("button[type=submit]")
    expect(page).to_have_url(re.compile(r"/data/$"))

    # when they upload a GBK file with two bad rows
    upload(page, live_server.url, HEADER + GOOD + BAD)
    # then the encoding was detected and the Chinese headers were matched
    expect(page.locator("dl")).to_contain_text("GBK/GB18030")
    expect(page.locator("#id_column_1")).to_have_value("mobile")
    shot(page, "2-mapping")
    # and checking every row reports both bad rows with their columns and offers no import
    page.click("#check-rows")
    expect(page.locator("#import-errors tbody tr")).to_have_count(2)
    expect(page.locator("#import-errors")).to_contain_text("12345")
    expect(page.locator("#import-preview")).to_contain_text("4")
    expect(page.locator("#start-import")).to_have_count(0)
    shot(page, "3-report")
    assert not Contact.objects.exists()

    # when they fix the file and upload it again
    upload(page, live_server.url, HEADER + GOOD + FIXED)
    page.click("#check-rows")
    expect(page.locator("#import-errors")).to_have_count(0)
    shot(page, "4-preview")
    page.click("#start-import")
    # then the job finishes and the summary links to the contacts
    expect(page.locator("#import-summary")).to_contain_text("4")
    shot(page, "5-done")
    assert Contact.objects.count() == 4

    page.goto(f"{live_server.url}/contacts/")
    expect(page.locator("#object-table tbody tr")).to_have_count(4)
    expect(page.locator("#object-table")).to_contain_text("韩梅梅")
    shot(page, "6-contacts")
