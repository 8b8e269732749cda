"""Tasks in a real browser: add a task from a contact's page, comment on it with an @mention
(no reload), complete it, and find it in the calendar. Screenshots go to test-artifacts/."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from guanxi.contacts.tests.factories import ContactFactory
from guanxi.core.testing_browser import context_args, screenshot_taker
from guanxi.notifications.models import Notification
from guanxi.tasks.choices import TaskStatus
from guanxi.tasks.models import Task
from guanxi.users.tests.factories import TEST_PASSWORD, UserFactory
from guanxi.workspaces.choices import Role
from guanxi.workspaces.tests.factories import MembershipFactory, TeamFactory, WorkspaceFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def browser_context_args(browser_context_args):
    return context_args(browser_context_args)


shot = screenshot_taker("tasks")


def test_add_comment_complete_and_see_in_the_calendar(page: Page, live_server) -> None:
    # given a sales rep, a teammate called 李明 and a contact
    workspace = WorkspaceFactory(name="上海关系科技", slug="main")
    team = TeamFactory(workspace=workspace)
    user = UserFactory(username="xiaoming")
    MembershipFactory(workspace=workspace, user=user, role=Role.SALES, team=team)
    colleague = UserFactory(username="liming", display_name="李明")
    MembershipFactory(workspace=workspace, user=colleague, role=Role.SALES, team=team)
    contact = ContactFactory(workspace=workspace, name="王经理", owner=user)
    problems: list[str] = []
    page.on(
        "console",
        lambda message: (
            problems.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.set_default_timeout(10_000)

    # when they log in, open the contact and add a task in its Tasks card
    page.goto(f"{live_server.url}/accounts/login/?next={contact.get_absolute_url()}")
    page.fill("input[name=username]", "xiaoming")
    page.fill("input[name=password]", TEST_PASSWORD)
    page.click("button[type=submit]")
    expect(page).to_have_url(re.compile(re.escape(contact.get_absolute_url()) + "$"))
    page.evaluate("window.notReloaded = true")
    panel = page.locator(".task-panel")
    panel.locator("input[name=title]").fill("发送报价单")
    panel.locator("select[name=priority]").select_option("high")
    panel.locator("input[name=due_at]").fill(timezone.localdate().isoformat() + "T15:00")
    panel.locator("button[type=submit]").click()
    # then it appears in the card without a reload
    expect(panel.locator(".list-group-item", has_text="发送报价单")).to_be_visible()
    assert page.evaluate("window.notReloaded") is True
    # and the timeline reloads with it
    expect(page.locator(".timeline-event[data-kind=task]").first).to_contain_text("发送报价单")
    task = Task.objects.get(title="发送报价单")
    assert task.contact == contact and task.owner == user
    shot(page, "1-panel")

    # when they comment on it mentioning @李明
    page.goto(f"{live_server.url}{task.get_absolute_url()}")
    page.evaluate("window.notReloaded = true")
    comments = page.locator("#task-comments")
    comments.locator("textarea[name=body]").fill("请 @李明 帮忙确认价格 <b>不要加粗</b>")
    comments.locator("button[type=submit]").click()
    # then the comment shows (escaped, mention in bold) and 李明 is notified once
    expect(page.locator("#task-comments strong.text-primary")).to_have_text("@李明")
    expect(page.locator("#task-comments")).to_contain_text("<b>不要加粗</b>")
    assert page.evaluate("window.notReloaded") is True
    assert Notification.objects.filter(recipient=colleague).count() == 1
    shot(page, "2-comment")

    # when they complete it with an outcome
    page.fill("#complete-task textarea[name=outcome]", "已发送，等待回复")
    page.click("#complete-task button[type=submit]")
    expect(page.locator(".alert-success")).to_be_visible()
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE and task.outcome == "已发送，等待回复"

    # and the calendar of this week lists another open task on its day
    Task.objects.create(workspace=workspace, owner=user, title="周会", due_at=timezone.now())
    page.goto(f"{live_server.url}/tasks/calendar/?mode=week")
    today = timezone.localdate().isoformat()
    expect(page.locator(f"td[data-day='{today}']")).to_contain_text("周会")
    shot(page, "3-calendar")
    assert problems == []
