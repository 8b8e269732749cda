"""Dragging deals across the kanban board in a real browser: one move goes through, one is
refused by a stage gate and snaps back with the reason. Screenshots go to test-artifacts/."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Locator, Page, expect

from guanxi.companies.tests.factories import CompanyFactory
from guanxi.core.testing_browser import context_args, screenshot_taker
from guanxi.opportunities.models import Opportunity
from guanxi.opportunities.services import default_pipeline, pipeline_stages, stage_update
from guanxi.opportunities.tests.factories import OpportunityFactory
from guanxi.users.tests.factories import TEST_PASSWORD, UserFactory
from guanxi.workspaces.choices import Role
from guanxi.workspaces.tests.factories import MembershipFactory, WorkspaceFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def browser_context_args(browser_context_args):
    return context_args(browser_context_args, locale="en-GB", width=1600)


shot = screenshot_taker("opportunities")


def drag(page: Page, card: Locator, target: Locator) -> None:
    """Drag with the mouse in small steps, as a person would (Sortable's fallback mode)."""
    start = card.bounding_box()
    end = target.bounding_box()
    page.mouse.move(start["x"] + start["width"] / 2, start["y"] + 10)
    page.mouse.down()
    page.mouse.move(start["x"] + start["width"] / 2 + 10, start["y"] + 20, steps=5)
    page.mouse.move(end["x"] + end["width"] / 2, end["y"] + 30, steps=20)
    page.mouse.up()


def column(page: Page, stage) -> Locator:
    return page.locator(f'section[data-stage="{stage.pk}"]')


def test_drag_deals_across_the_board(page: Page, live_server) -> None:
    # given an admin, the default pipeline whose third stage needs a company, and two deals
    workspace = WorkspaceFactory(name="Board Co", slug="board", language="en")
    user = UserFactory(username="lihua")
    MembershipFactory(workspace=workspace, user=user, role=Role.ADMIN)
    stages = pipeline_stages(default_pipeline(workspace))
    stage_update(stage=stages[2], actor=user, data={"required_fields": ["company"]})
    company = CompanyFactory(workspace=workspace, name="Hangzhou Tea")
    OpportunityFactory(workspace=workspace, owner=user, name="Alpha deal", amount=1000)
    OpportunityFactory(
        workspace=workspace, owner=user, name="Beta deal", amount=2500, company=company
    )
    page.set_default_timeout(10_000)

    # when they open the board
    page.goto(f"{live_server.url}/accounts/login/?next=/opportunities/board/")
    page.fill("input[name=username]", "lihua")
    page.fill("input[name=password]", TEST_PASSWORD)
    page.click("button[type=submit]")
    expect(page).to_have_url(re.compile(r"/opportunities/board/$"))
    first, second, third = (column(page, stage) for stage in stages[:3])
    expect(first.locator(".kanban-card")).to_have_count(2)
    expect(first.locator('[data-total="count"]')).to_have_text("2")
    shot(page, "1-board")

    # and drag Beta (which has a company) to the second column: it stays there
    drag(page, first.locator(".kanban-card", has_text="Beta deal"), second.locator(".kanban-cards"))
    expect(page.locator("#board-status")).to_contain_text("moved to")
    expect(second.locator(".kanban-card", has_text="Beta deal")).to_have_count(1)
    expect(second.locator('[data-total="count"]')).to_have_text("1")
    expect(second.locator('[data-total="weighted"]')).to_have_text("500.00")
    expect(first.locator('[data-total="count"]')).to_have_text("1")

    # then drag Alpha (no company) to the third column: the gate refuses, the card snaps back
    drag(page, first.locator(".kanban-card", has_text="Alpha deal"), third.locator(".kanban-cards"))
    expect(page.locator("#board-alert")).to_contain_text("Fill in company")
    expect(first.locator(".kanban-card", has_text="Alpha deal")).to_have_count(1)
    expect(third.locator(".kanban-card")).to_have_count(0)
    shot(page, "2-refused-move")

    assert Opportunity.objects.get(name="Beta deal").stage_id == stages[1].pk
    assert Opportunity.objects.get(name="Alpha deal").stage_id == stages[0].pk

    # and the deal's page shows its stage history and the gate it still has to pass
    first.locator(".kanban-card a", has_text="Alpha deal").click()
    expect(page.locator("h2.page-title")).to_have_text("Alpha deal")
    expect(page.locator("#stage-gates")).to_contain_text("company")
    expect(page.locator("#stage-history tbody tr")).to_have_count(1)
    shot(page, "3-detail")
    page.goto(f"{live_server.url}/opportunities/pipelines/")
    expect(page.locator(f"#pipeline-{stages[0].pipeline_id}")).to_contain_text("Needs confirmed")
    shot(page, "4-pipelines")
