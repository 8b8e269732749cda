"""Stagnation alerts: one task per deal per stage entry, whatever how often the job runs."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from guanxi.core.testing_views import ui_client
from guanxi.opportunities.models import Opportunity
from guanxi.opportunities.services import opportunity_move, pipeline_stages, stage_update
from guanxi.opportunities.stagnation import stagnation_alerts_create
from guanxi.opportunities.tasks import stagnation_alerts
from guanxi.opportunities.tests.factories import OpportunityFactory
from guanxi.tasks.models import Task

pytestmark = pytest.mark.django_db


def age(deal, days: int) -> None:
    Opportunity.objects.filter(pk=deal.pk).update(
        stage_entered_at=timezone.now() - timedelta(days=days)
    )
    deal.refresh_from_db()


def test_job_creates_one_task_per_stagnant_deal_and_is_idempotent(admin):
    old = OpportunityFactory(workspace=admin.workspace, actor=admin.user, name="老单")
    fresh = OpportunityFactory(workspace=admin.workspace, actor=admin.user)
    stage_update(stage=old.stage, actor=admin.user, data={"stagnation_days": 14})
    age(old, 15)
    age(fresh, 3)
    # When the job runs twice
    assert stagnation_alerts.call_local() == 1
    assert stagnation_alerts.call_local() == 0
    # Then one task for the owner, linked to the deal
    task = Task.objects.get()
    assert (task.owner, task.opportunity) == (admin.user, old)
    assert "老单" in task.title and task.priority == "high"


def test_a_new_stage_entry_can_alert_again(admin):
    deal = OpportunityFactory(workspace=admin.workspace, actor=admin.user)
    stages = pipeline_stages(deal.pipeline)
    for stage in stages[:2]:
        stage_update(stage=stage, actor=admin.user, data={"stagnation_days": 5})
    age(deal, 6)
    stagnation_alerts_create()
    opportunity_move(opportunity=deal, stage=stages[1], actor=admin.user)
    age(deal, 6)
    stagnation_alerts_create()
    stagnation_alerts_create()
    assert Task.objects.filter(opportunity=deal).count() == 2


def test_closed_deals_and_stages_without_setting_do_not_alert(admin):
    won = OpportunityFactory(workspace=admin.workspace, actor=admin.user)
    plain = OpportunityFactory(workspace=admin.workspace, actor=admin.user)
    stages = pipeline_stages(won.pipeline)
    opportunity_move(opportunity=won, stage=stages[6], actor=admin.user)
    stage_update(stage=stages[6], actor=admin.user, data={"stagnation_days": 1})
    age(won, 30)
    age(plain, 300)
    assert stagnation_alerts_create() == 0


def test_badge_on_board_and_detail(admin):
    deal = OpportunityFactory(workspace=admin.workspace, actor=admin.user)
    stage_update(stage=deal.stage, actor=admin.user, data={"stagnation_days": 2})
    age(deal, 3)
    client = ui_client(admin)
    column = client.get(reverse("opportunities:board_column", args=[deal.stage_id]))
    assert "data-stagnant" in column.content.decode()
    detail = client.get(reverse("opportunities:detail", args=[deal.pk])).content.decode()
    assert "stagnant: 3 days in this stage" in detail
