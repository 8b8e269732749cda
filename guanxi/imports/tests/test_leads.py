"""Leads through the import wizard (LEAD-1): scored and routed by the assignment rules like
web-form leads, all or nothing, duplicates within the file refused, upsert by mobile."""

from __future__ import annotations

import pytest

from guanxi.assignment.tests.factories import AssignmentRuleFactory
from guanxi.imports.services import import_job_create, import_job_map, import_job_run
from guanxi.imports.tests.helpers import csv_upload
from guanxi.leads.models import Lead
from guanxi.leads.tests.factories import LeadFactory
from guanxi.workspaces.choices import Role

pytestmark = pytest.mark.django_db

HEADER = "姓名,公司,手机,邮箱,行业,规模,访问次数,意向程度,优先级\n"


def run(membership, text, **options):
    job = import_job_create(
        membership=membership, target="leads", upload=csv_upload(text, "leads.csv", "gbk")
    )
    import_job_map(job=job, mapping=job.mapping, **{"mode": "create", **options})
    return import_job_run(job=job)


def test_imported_leads_are_scored_and_assigned_by_the_rules(admin, member):
    # given a rule that gives high-priority leads to one rep
    rep = member(Role.SALES)
    AssignmentRuleFactory(
        workspace=admin.workspace,
        conditions=[{"field": "priority", "op": "eq", "value": "high"}],
        target_kind="user",
        target_user=rep.user,
        strategy="",
    )
    text = HEADER + "王小明,华东机械,13800138000,wang@example.com,制造业,50-249,10,4,高\n"

    # when
    job = run(admin, text)

    # then
    assert (job.status, job.created_count) == ("done", 1), job.errors
    lead = Lead.objects.get()
    assert (lead.name, lead.company_name, lead.priority) == ("王小明", "华东机械", "high")
    assert lead.owner == rep.user
    assert lead.score > 0
    assert lead.source == "import"


def test_two_bad_rows_and_a_duplicate_write_nothing(admin):
    # given
    text = (
        HEADER
        + "甲,,13800138000,,,,1,2,\n"
        + "乙,,12345,,,,1,2,\n"
        + ",,13800138001,,,,1,2,\n"
        + "丙,,138 0013 8000,,,,1,2,\n"
    )

    # when
    job = run(admin, text)

    # then
    assert job.status == "failed"
    assert sorted((e["row"], e["column"]) for e in job.errors) == [
        (3, "手机"),
        (4, "姓名"),
        (5, "手机"),
    ]
    assert Lead.objects.count() == 0


def test_leads_upsert_by_mobile_and_converted_leads_are_refused(admin):
    # given
    lead = LeadFactory(workspace=admin.workspace, mobile="13800138000", name="旧名")
    text = "姓名,手机,访问次数\n新名,13800138000,7\n"

    # when
    job = run(admin, text, mode="upsert", match_on="mobile")

    # then
    assert (job.status, job.updated_count) == ("done", 1), job.errors
    lead.refresh_from_db()
    assert (lead.name, lead.visits) == ("新名", 7)
