"""The kanban board: exact per-column totals in one query, lazy column pages, filters."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from guanxi.core.testing_views import ui_client
from guanxi.opportunities.board import CARDS_PER_PAGE, column_totals
from guanxi.opportunities.models import Opportunity
from guanxi.opportunities.services import default_pipeline, opportunity_move, pipeline_stages
from guanxi.opportunities.tests.factories import OpportunityFactory
from guanxi.workspaces.choices import Role
from guanxi.workspaces.tests.factories import TeamFactory

pytestmark = pytest.mark.django_db


def test_column_totals_are_exact_decimals_in_one_query(admin):
    # Given amounts whose float sums would drift, in two stages with 10% and 20%
    stages = pipeline_stages(default_pipeline(admin.workspace))
    for amount in ("0.10", "0.20", "1234567.89"):
        OpportunityFactory(workspace=admin.workspace, actor=admin.user, amount=Decimal(amount))
    moved = OpportunityFactory(workspace=admin.workspace, actor=admin.user, amount=Decimal("0.05"))
    opportunity_move(opportunity=moved, stage=stages[1], actor=admin.user)
    custom = OpportunityFactory(
        workspace=admin.workspace, actor=admin.user, amount=Decimal("333.33"), probability=33
    )
    # When
    with CaptureQueriesContext(connection) as queries:
        totals = column_totals(Opportunity.objects.filter(workspace=admin.workspace), stages)
    # Then one query; amounts exact; weighted = Σ amount × p / 100 rounded once
    assert len(queries) == 1
    first = totals[str(stages[0].pk)]
    assert first.count == 4
    assert first.amount == Decimal("1234901.52")
    # 0.30 × 10% + 1234567.89 × 10% + 333.33 × 33% = 0.03 + 123456.789 + 109.9989
    assert first.weighted == Decimal("123566.82")
    second = totals[str(stages[1].pk)]
    assert (second.count, second.amount, second.weighted) == (1, Decimal("0.05"), Decimal("0.01"))
    assert totals[str(stages[2].pk)].count == 0
    assert custom.probability == 33


def test_board_page_runs_a_fixed_number_of_queries(admin):
    default_pipeline(admin.workspace)
    client = ui_client(admin)
    url = reverse("opportunities:board_default")
    OpportunityFactory(workspace=admin.workspace, actor=admin.user)
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    for _ in range(30):
        OpportunityFactory(workspace=admin.workspace, actor=admin.user)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(one)


def test_column_loads_pages_of_cards_with_load_more(admin):
    stage = pipeline_stages(default_pipeline(admin.workspace))[0]
    deals = [
        OpportunityFactory(workspace=admin.workspace, actor=admin.user, name=f"单{i:03d}")
        for i in range(CARDS_PER_PAGE + 5)
    ]
    client = ui_client(admin)
    url = reverse("opportunities:board_column", args=[stage.pk])
    with CaptureQueriesContext(connection) as queries:
        first = client.get(url).content.decode()
    assert first.count('class="card card-sm kanban-card') == CARDS_PER_PAGE
    # newest first: the last created is on the first page, the first created is not
    assert "单054" in first and "单000" not in first
    assert "Load more" in first
    before = str(deals[5].pk)
    second = client.get(url, {"before": before}).content.decode()
    assert second.count('class="card card-sm kanban-card') == 5
    assert "Load more" not in second
    assert "单000" in second
    assert len(queries) < 15
    assert client.get(url, {"before": "x'; drop table"}).status_code == 404


def test_board_filters_owner_team_close_period(admin, member):
    team = TeamFactory(workspace=admin.workspace)
    rep = member(Role.SALES, team=team)
    mine = OpportunityFactory(workspace=admin.workspace, actor=admin.user, name="我的单")
    theirs = OpportunityFactory(workspace=admin.workspace, owner=rep.user, name="团队的单")
    stage = mine.stage
    client = ui_client(admin)
    url = reverse("opportunities:board_column", args=[stage.pk])
    by_owner = client.get(url, {"owner": admin.user.pk}).content.decode()
    assert "我的单" in by_owner and "团队的单" not in by_owner
    by_team = client.get(url, {"team": team.pk}).content.decode()
    assert "团队的单" in by_team and "我的单" not in by_team
    summary = client.get(
        reverse("opportunities:board_summary", args=[stage.pipeline_id]), {"team": team.pk}
    ).json()
    assert summary["columns"][str(stage.pk)]["count"] == "1"
    assert theirs.pk


def test_sales_board_shows_only_visible_deals(member):
    sales = member(Role.SALES)
    other = member(Role.SALES)
    OpportunityFactory(workspace=sales.workspace, owner=other.user, name="别人的单")
    OpportunityFactory(workspace=sales.workspace, owner=sales.user, name="自己的单")
    stage = pipeline_stages(default_pipeline(sales.workspace))[0]
    page = (
        ui_client(sales)
        .get(reverse("opportunities:board_column", args=[stage.pk]))
        .content.decode()
    )
    assert "自己的单" in page and "别人的单" not in page


def test_board_of_another_workspace_is_404(admin, other_workspace):
    foreign = default_pipeline(other_workspace)
    response = ui_client(admin).get(reverse("opportunities:board", args=[foreign.pk]))
    assert response.status_code == 404
