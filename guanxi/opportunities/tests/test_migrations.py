"""Data migrations, run on rows as the migration finds them."""

import importlib

import pytest
from django.apps import apps

from guanxi.opportunities.models import Opportunity, StageHistory
from guanxi.opportunities.services import default_pipeline, pipeline_stages
from guanxi.opportunities.tests.factories import OpportunityFactory

pytestmark = pytest.mark.django_db

furthest_stage_migration = importlib.import_module(
    "guanxi.opportunities.migrations.0005_furthest_stage"
)


def test_furthest_stage_is_filled_from_the_history_else_the_current_stage(workspace, admin):
    # given deals as they were before the field: one went to the fourth stage, back to the
    # second and was lost; one has no history; one has no history and is lost
    stages = pipeline_stages(default_pipeline(workspace))
    lost = stages[8]
    walked = OpportunityFactory(workspace=workspace, actor=admin.user)
    for stage in (stages[3], stages[1]):
        StageHistory.objects.create(workspace=workspace, opportunity=walked, to_stage=stage)
    StageHistory.objects.create(workspace=workspace, opportunity=walked, to_stage=lost)
    bare = OpportunityFactory(workspace=workspace, actor=admin.user, stage=stages[2])
    bare_lost = OpportunityFactory(
        workspace=workspace, actor=admin.user, stage=lost, lost_reason="重复"
    )
    Opportunity.objects.filter(pk=walked.pk).update(stage=lost)
    StageHistory.objects.filter(opportunity__in=[bare, bare_lost]).delete()
    Opportunity.objects.update(furthest_stage=None)
    # when
    furthest_stage_migration.fill(apps, None)
    # then
    furthest = dict(Opportunity.objects.values_list("pk", "furthest_stage"))
    assert furthest == {walked.pk: stages[3].pk, bare.pk: stages[2].pk, bare_lost.pk: None}
