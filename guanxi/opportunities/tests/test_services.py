"""Service tests: default pipeline, gates, moves and their history, won/lost, probability."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from guanxi.companies.tests.factories import CompanyFactory
from guanxi.opportunities.choices import OpportunityStatus, StageKind
from guanxi.opportunities.models import Pipeline, StageHistory
from guanxi.opportunities.services import (
    default_pipeline,
    opportunity_create,
    opportunity_mark_lost,
    opportunity_mark_won,
    opportunity_move,
    opportunity_toggle_checklist,
    opportunity_update,
    pipeline_stages,
    stage_delete,
    stage_update,
    stages_reorder,
)
from guanxi.opportunities.tests.factories import OpportunityFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def pipeline(workspace):
    return default_pipeline(workspace)


@pytest.fixture
def stages(pipeline):
    return pipeline_stages(pipeline)


def test_default_pipeline_has_the_seeds_stages_once(workspace):
    # Given a workspace without pipelines / When the default pipeline is asked for twice
    first = default_pipeline(workspace)
    second = default_pipeline(workspace)
    # Then it is created once with the seeds' 9 stages and probabilities
    assert first == second
    assert Pipeline.objects.for_workspace(workspace).count() == 1
    stages = pipeline_stages(first)
    assert [s.probability for s in stages] == [10, 20, 40, 50, 60, 80, 100, 100, 0]
    assert [s.kind for s in stages][-3:] == [StageKind.WON, StageKind.WON, StageKind.LOST]


def test_default_pipeline_in_chinese(other_workspace):
    other_workspace.language = "zh-hans"
    pipeline = default_pipeline(other_workspace)
    names = [s.name for s in pipeline_stages(pipeline)]
    # translations are merged by the integrator; before that the English msgids are used
    assert names[0] in ("线索", "Lead")


def test_create_defaults_to_first_open_stage_with_its_probability(workspace, admin, stages):
    deal = opportunity_create(workspace=workspace, actor=admin.user, name="ERP", amount=100)
    assert deal.stage == stages[0]
    assert deal.probability == 10 and not deal.probability_custom
    assert deal.owner == admin.user
    assert deal.status == OpportunityStatus.OPEN
    assert StageHistory.objects.filter(opportunity=deal, to_stage=stages[0]).count() == 1


def test_probability_override_survives_moves_and_reset_follows_stage(workspace, admin, stages):
    deal = opportunity_create(workspace=workspace, actor=admin.user, name="ERP", probability=35)
    assert deal.probability == 35 and deal.probability_custom
    opportunity_move(opportunity=deal, stage=stages[1], actor=admin.user)
    assert deal.probability == 35
    opportunity_update(opportunity=deal, actor=admin.user, data={"probability": None})
    assert deal.probability == 20 and not deal.probability_custom
    opportunity_move(opportunity=deal, stage=stages[2], actor=admin.user)
    assert deal.probability == 40


def test_required_field_gate_refuses_with_reason(workspace, admin, stages):
    stage_update(stage=stages[3], actor=admin.user, data={"required_fields": ["company", "amount"]})
    deal = OpportunityFactory(workspace=workspace, actor=admin.user, amount=0)
    with pytest.raises(ValidationError) as refused:
        opportunity_move(opportunity=deal, stage=stages[3], actor=admin.user)
    assert "company" in refused.value.message_dict["stage"][0]
    assert "amount" in refused.value.message_dict["stage"][0]
    deal.refresh_from_db()
    assert deal.stage == stages[0]
    # When the fields are filled the move goes through
    company = CompanyFactory(workspace=workspace)
    opportunity_update(
        opportunity=deal, actor=admin.user, data={"company": company, "amount": Decimal("5")}
    )
    opportunity_move(opportunity=deal, stage=stages[3], actor=admin.user)
    assert deal.stage == stages[3]


def test_checklist_gate(workspace, admin, stages):
    stage_update(stage=stages[1], actor=admin.user, data={"checklist": ["预算确认", "决策人已见"]})
    deal = OpportunityFactory(workspace=workspace, actor=admin.user)
    opportunity_toggle_checklist(opportunity=deal, actor=admin.user, item="预算确认", done=True)
    with pytest.raises(ValidationError) as refused:
        opportunity_move(opportunity=deal, stage=stages[1], actor=admin.user)
    assert "决策人已见" in refused.value.message_dict["stage"][0]
    assert "预算确认" not in refused.value.message_dict["stage"][0]
    opportunity_toggle_checklist(opportunity=deal, actor=admin.user, item="决策人已见", done=True)
    opportunity_move(opportunity=deal, stage=stages[1], actor=admin.user)
    assert deal.stage == stages[1]


def test_unknown_checklist_item_is_refused(workspace, admin, stages):
    deal = OpportunityFactory(workspace=workspace, actor=admin.user)
    with pytest.raises(ValidationError):
        opportunity_toggle_checklist(opportunity=deal, actor=admin.user, item="<b>x</b>", done=True)


def test_skip_refused_when_not_allowed_and_back_moves_always_allowed(workspace, admin, stages):
    stage_update(stage=stages[3], actor=admin.user, data={"allow_skip": False})
    deal = OpportunityFactory(workspace=workspace, actor=admin.user)
    with pytest.raises(ValidationError) as refused:
        opportunity_move(opportunity=deal, stage=stages[3], actor=admin.user)
    message = refused.value.message_dict["stage"][0]
    assert stages[1].name in message and stages[2].name in message
    # skipping to a stage that allows it is fine
    opportunity_move(opportunity=deal, stage=stages[2], actor=admin.user)
    opportunity_move(opportunity=deal, stage=stages[3], actor=admin.user)
    # gates do not apply backwards
    stage_update(stage=stages[1], actor=admin.user, data={"required_fields": ["company"]})
    opportunity_move(opportunity=deal, stage=stages[0], actor=admin.user)
    assert deal.stage == stages[0]


def test_stage_history_records_time_in_each_stage(workspace, admin, stages):
    deal = OpportunityFactory(workspace=workspace, actor=admin.user)
    StageHistory.objects.filter(opportunity=deal).update(
        entered_at=timezone.now() - timedelta(days=3)
    )
    opportunity_move(opportunity=deal, stage=stages[1], actor=admin.user)
    first, second = StageHistory.objects.filter(opportunity=deal).order_by("entered_at")
    assert first.left_at is not None
    assert timedelta(days=3) <= first.duration < timedelta(days=3, minutes=1)
    assert second.from_stage == stages[0] and second.to_stage == stages[1]
    assert second.left_at is None
    assert second.actor == admin.user


def test_won_closes_and_reopen_clears(workspace, admin, stages):
    deal = OpportunityFactory(workspace=workspace, actor=admin.user)
    opportunity_mark_won(opportunity=deal, actor=admin.user)
    deal.refresh_from_db()
    assert deal.status == OpportunityStatus.WON and deal.closed_at is not None
    assert deal.probability == 100
    opportunity_move(opportunity=deal, stage=stages[5], actor=admin.user)
    deal.refresh_from_db()
    assert deal.status == OpportunityStatus.OPEN and deal.closed_at is None


def test_lost_needs_a_reason(workspace, admin, stages):
    deal = OpportunityFactory(workspace=workspace, actor=admin.user)
    with pytest.raises(ValidationError) as refused:
        opportunity_mark_lost(opportunity=deal, actor=admin.user, lost_reason="  ")
    assert "lost_reason" in refused.value.message_dict
    opportunity_mark_lost(opportunity=deal, actor=admin.user, lost_reason="价格太高")
    deal.refresh_from_db()
    assert deal.status == OpportunityStatus.LOST
    assert deal.lost_reason == "价格太高" and deal.probability == 0


def test_stage_of_another_pipeline_is_refused(workspace, admin, stages, other_workspace):
    foreign = pipeline_stages(default_pipeline(other_workspace))[1]
    deal = OpportunityFactory(workspace=workspace, actor=admin.user)
    with pytest.raises(ValidationError):
        opportunity_move(opportunity=deal, stage=foreign, actor=admin.user)


def test_stage_probability_change_follows_non_custom_deals(workspace, admin, stages):
    plain = OpportunityFactory(workspace=workspace, actor=admin.user)
    custom = OpportunityFactory(workspace=workspace, actor=admin.user, probability=77)
    stage_update(stage=stages[0], actor=admin.user, data={"probability": 15})
    plain.refresh_from_db()
    custom.refresh_from_db()
    assert (plain.probability, custom.probability) == (15, 77)


def test_unknown_required_field_is_refused(admin, stages):
    with pytest.raises(ValidationError):
        stage_update(stage=stages[0], actor=admin.user, data={"required_fields": ["password"]})


# ---------------------------------------------------------------- furthest stage (the funnel's)


def moved(deal, stages, actor, moves):
    for move in moves:
        if move == "won":
            opportunity_mark_won(opportunity=deal, actor=actor)
        elif move == "lost":
            opportunity_mark_lost(opportunity=deal, actor=actor, lost_reason="预算取消")
        else:
            opportunity_move(opportunity=deal, stage=stages[move], actor=actor)
    return deal


@pytest.mark.parametrize(
    ("moves", "furthest"),
    [
        pytest.param([], 0, id="created"),
        pytest.param([3], 3, id="forward"),
        pytest.param([3, 1], 3, id="back-keeps-it"),
        pytest.param([3, "lost"], 3, id="lost-keeps-it"),
        pytest.param([3, "won"], 6, id="won"),
        pytest.param(["won", 4], 6, id="reopened-keeps-won"),
    ],
)
def test_furthest_stage_is_the_highest_stage_entered_that_is_not_lost(
    workspace, admin, stages, moves, furthest
):
    # given a deal created in the first stage / when it moves
    deal = OpportunityFactory(workspace=workspace, actor=admin.user)
    moved(deal, stages, admin.user, moves)
    # then the caller's instance and the stored row agree
    assert deal.furthest_stage == stages[furthest]
    deal.refresh_from_db()
    assert deal.furthest_stage == stages[furthest]


def test_a_deal_created_in_a_later_stage_has_reached_it(workspace, admin, stages):
    deal = OpportunityFactory(workspace=workspace, actor=admin.user, stage=stages[4])
    assert deal.furthest_stage == stages[4]


def test_a_deal_created_lost_has_no_furthest_stage(workspace, admin, stages):
    deal = OpportunityFactory(
        workspace=workspace, actor=admin.user, stage=stages[8], lost_reason="重复"
    )
    assert stages[8].kind == StageKind.LOST
    assert deal.furthest_stage is None


def test_reordering_stages_recomputes_the_furthest_stage(workspace, admin, pipeline, stages):
    # given a deal that went to the fourth stage and back to the second
    deal = moved(
        OpportunityFactory(workspace=workspace, actor=admin.user), stages, admin.user, [3, 1]
    )
    # when the second and fourth stages swap places
    order = [stages[0], stages[3], stages[2], stages[1], *stages[4:]]
    stages_reorder(pipeline=pipeline, actor=admin.user, stage_ids=[stage.pk for stage in order])
    # then the second stage is now the furthest it has entered
    deal.refresh_from_db()
    assert deal.furthest_stage == stages[1]


def test_a_stage_turned_lost_is_no_deals_furthest_stage(workspace, admin, stages):
    deal = moved(
        OpportunityFactory(workspace=workspace, actor=admin.user), stages, admin.user, [3, 1]
    )
    stage_update(stage=stages[3], actor=admin.user, data={"kind": StageKind.LOST})
    deal.refresh_from_db()
    assert deal.furthest_stage == stages[1]


def test_deleting_a_stage_moves_the_furthest_stage_back(workspace, admin, stages):
    deal = moved(
        OpportunityFactory(workspace=workspace, actor=admin.user), stages, admin.user, [3, 1]
    )
    stage_delete(stage=stages[3], actor=admin.user)
    deal.refresh_from_db()
    assert deal.furthest_stage == stages[1]
