"""Scoring with the seeds' weights (industry 20%, company size 15%, visit frequency 25%,
expressed interest 40%), thresholds, history and bulk re-scoring (LEAD-2)."""

from __future__ import annotations

import pytest

from guanxi.leads.models import Lead, ScoreHistory
from guanxi.leads.rescoring import leads_rescore_all
from guanxi.leads.scoring import criteria_errors, default_criteria, score_lead
from guanxi.leads.services import lead_create, lead_update, scoring_model_for, scoring_model_update
from guanxi.leads.tests.factories import LeadFactory

pytestmark = pytest.mark.django_db

# technology → 5 points, 10–49 employees → 2, 10 visits → 4, interest 4 → 4
SEED_EXAMPLE = {
    "industry": "technology",
    "company_size": "10-49",
    "visits": 10,
    "expressed_interest": 4,
}


def test_the_seeds_weights_are_the_default_model(workspace):
    model = scoring_model_for(workspace)
    assert {c["key"]: c["weight"] for c in model.criteria} == {
        "industry": 20,
        "company_size": 15,
        "visits": 25,
        "expressed_interest": 40,
    }
    assert (model.mql_threshold, model.sql_threshold) == (60, 80)


def test_why_78_the_breakdown_of_a_known_lead(workspace):
    # given the seeds' weights and a lead with 5 / 2 / 4 / 4 points
    lead = LeadFactory.build(workspace=workspace, **SEED_EXAMPLE)
    # when
    result = score_lead(lead, criteria=default_criteria(), mql=60, sql=80)
    # then 20×5/5 + 15×2/5 + 25×4/5 + 40×4/5 = 20 + 6 + 20 + 32 = 78: an MQL
    assert [(line.key, line.points, line.weight, line.contribution) for line in result.lines] == [
        ("industry", 5, 20, "20.00"),
        ("company_size", 2, 15, "6.00"),
        ("visits", 4, 25, "20.00"),
        ("expressed_interest", 4, 40, "32.00"),
    ]
    assert (result.score, result.stage) == (78, "mql")


@pytest.mark.parametrize(
    ("values", "score", "stage"),
    [
        ({}, 5, ""),  # only "0 visits" → 1 point × 25%
        (
            {"industry": "finance", "company_size": "1000+", "visits": 50, "expressed_interest": 5},
            100,
            "sql",
        ),
        (
            {
                "industry": "government",
                "company_size": "50-249",
                "visits": 2,
                "expressed_interest": 3,
            },
            51,
            "",
        ),
        (
            {
                "industry": "manufacturing",
                "company_size": "250-999",
                "visits": 10,
                "expressed_interest": 4,
            },
            80,
            "sql",
        ),
        (
            {"industry": "retail", "company_size": "10-49", "visits": 5, "expressed_interest": 4},
            65,
            "mql",
        ),
    ],
    ids=["empty", "perfect", "below-mql", "exactly-sql", "mql"],
)
def test_scores_and_thresholds(values, score, stage, workspace):
    lead = LeadFactory.build(workspace=workspace, **values)
    assert (
        score_lead(lead, criteria=default_criteria(), mql=60, sql=80).score,
        score_lead(lead, criteria=default_criteria(), mql=60, sql=80).stage,
    ) == (score, stage)


def test_create_scores_and_records_history_and_update_rescores(workspace, admin):
    lead = lead_create(workspace=workspace, actor=admin.user, name="王强", **SEED_EXAMPLE)
    assert (lead.score, lead.score_stage) == (78, "mql")
    lead = lead_update(lead=lead, actor=admin.user, data={"expressed_interest": 5})
    lead.refresh_from_db()
    assert (lead.score, lead.score_stage) == (86, "sql")
    assert list(ScoreHistory.objects.filter(lead=lead).values_list("score", flat=True)) == [86, 78]
    # a change that is not a scoring input writes no history
    lead_update(lead=lead, actor=admin.user, data={"job_title": "CTO"})
    assert ScoreHistory.objects.filter(lead=lead).count() == 2


def test_changing_the_model_rescores_every_lead_by_a_job(
    workspace, admin, django_capture_on_commit_callbacks
):
    lead = lead_create(workspace=workspace, actor=admin.user, name="王强", **SEED_EXAMPLE)
    model = scoring_model_for(workspace)
    criteria = [dict(c) for c in model.criteria]
    for criterion in criteria:
        criterion["weight"] = {
            "industry": 40,
            "company_size": 10,
            "visits": 10,
            "expressed_interest": 40,
        }[criterion["key"]]
    with django_capture_on_commit_callbacks(execute=True):
        scoring_model_update(
            scoring_model=model,
            actor=admin.user,
            data={"criteria": criteria, "mql_threshold": 50, "sql_threshold": 90},
        )
    lead.refresh_from_db()
    # 40 + 4 + 8 + 32 = 84 → between 50 and 90: MQL
    assert (lead.score, lead.score_stage) == (84, "mql")
    # running the job again changes nothing
    assert leads_rescore_all(workspace_id=workspace.pk) == 0


def test_rescoring_skips_converted_leads(workspace):
    LeadFactory(workspace=workspace, status="converted", score=3, **SEED_EXAMPLE)
    LeadFactory(workspace=workspace, **SEED_EXAMPLE)
    assert leads_rescore_all(workspace_id=workspace.pk) == 1
    assert sorted(Lead.objects.values_list("score", flat=True)) == [3, 78]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda c: c[0].update(weight=30), "criteria"),
        (lambda c: c[0].update(weight="20"), "criteria"),
        (lambda c: c[0]["points"].update(technology=9), "criteria"),
        (lambda c: c[2].update(points=[[5, 1], [0, 2]]), "criteria"),
        (lambda c: c[0].update(field="password"), "criteria"),
        (lambda c: c.clear(), "criteria"),
    ],
    ids=["sum-not-100", "weight-text", "points-9", "thresholds-unsorted", "bad-field", "empty"],
)
def test_invalid_criteria_are_refused(change, field):
    criteria = default_criteria()
    change(criteria)
    assert list(criteria_errors(criteria)) == [field]
