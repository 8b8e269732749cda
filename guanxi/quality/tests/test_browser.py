"""Duplicates in a real browser: two records of one person → scan → compare → pick the values →
merge → the survivor shows the merged values and the old link leads to it. Screenshots go to
test-artifacts/."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from guanxi.contacts.models import Contact
from guanxi.contacts.services import contact_create
from guanxi.core.testing_browser import context_args, screenshot_taker
from guanxi.users.tests.factories import TEST_PASSWORD, UserFactory
from guanxi.workspaces.choices import Role
from guanxi.workspaces.tests.factories import MembershipFactory, WorkspaceFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def browser_context_args(browser_context_args):
    return context_args(browser_context_args)


shot = screenshot_taker("quality")


def test_find_compare_and_merge_two_duplicate_contacts(page: Page, live_server) -> None:
    # given a manager and the same person entered twice, spelt differently
    workspace = WorkspaceFactory(name="上海关系科技", slug="main")
    user = UserFactory(username="manager")
    MembershipFactory(workspace=workspace, user=user, role=Role.MANAGER)
    keep = contact_create(workspace=workspace, actor=user, name="张伟", job_title="")
    other = contact_create(
        workspace=workspace, actor=user, name="张 伟", mobile="13900001111", job_title="销售总监"
    )
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}/accounts/login/?next=/quality/duplicates/")
    page.fill("input[name=username]", "manager")
    page.fill("input[name=password]", TEST_PASSWORD)
    page.click("button[type=submit]")
    expect(page).to_have_url(re.compile(r"/quality/duplicates/"))
    shot(page, "1-no-duplicates-yet")

    # when they scan (the job runs inline in tests) and the pair shows up
    page.locator("form[action='/quality/duplicates/scan/'] button").click()
    expect(page.locator("#duplicate-table")).to_be_visible()
    expect(page.locator("#duplicate-table")).to_contain_text("张伟")
    shot(page, "2-candidates")

    # and compare: keep the first record, take the other's job title (pre-selected) and name
    page.locator("#duplicate-table a.btn-primary").first.click()
    expect(page).to_have_url(re.compile(r"/quality/contacts/merge/"))
    page.check(f"input[name=survivor][value='{keep.pk}']")
    page.check(f"input[name=name][value='{keep.pk}']")
    page.check(f"input[name=job_title][value='{other.pk}']")
    page.check("input[name=confirm]")
    shot(page, "3-compare")
    page.locator("#merge-form button[type=submit]").click()

    # then the survivor's page shows the merged values
    expect(page).to_have_url(re.compile(rf"/contacts/{keep.pk}/$"))
    expect(page.locator(".page-title")).to_contain_text("张伟")
    expect(page.locator("body")).to_contain_text("销售总监")
    expect(page.locator("#data-quality-panel")).to_be_visible()
    shot(page, "4-survivor")
    assert not Contact.objects.filter(pk=other.pk).exists()

    # and the duplicate's old link leads to the survivor
    page.goto(f"{live_server.url}/contacts/{other.pk}/")
    expect(page).to_have_url(re.compile(rf"/contacts/{keep.pk}/$"))


def test_typing_a_known_name_shows_the_possible_duplicate(page: Page, live_server) -> None:
    workspace = WorkspaceFactory(name="上海关系科技", slug="main")
    user = UserFactory(username="sales")
    MembershipFactory(workspace=workspace, user=user, role=Role.SALES)
    saved = contact_create(workspace=workspace, actor=user, name="张伟")
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}/accounts/login/?next=/contacts/new/")
    page.fill("input[name=username]", "sales")
    page.fill("input[name=password]", TEST_PASSWORD)
    page.click("button[type=submit]")
    # another spelling of the same name (with a space) while typing a new contact
    expect(page.locator("#id_name")).to_be_visible()
    page.fill("#id_name", "张 伟")
    hint = page.locator("#duplicate-hint")
    expect(hint.locator(f"a[href='/contacts/{saved.pk}/']")).to_be_visible()
    shot(page, "5-typing-hint")
