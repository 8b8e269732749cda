"""The import from upload to written records: all or nothing, valid rows only, upserts,
relations, duplicates, audit, permissions, and failures that leave nothing behind."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from guanxi.audit.models import AuditEvent
from guanxi.companies.models import Company
from guanxi.companies.tests.factories import CompanyFactory
from guanxi.contacts.models import Contact
from guanxi.contacts.tests.factories import ContactFactory
from guanxi.core.errors import ApplicationError
from guanxi.imports import importers
from guanxi.imports.models import ImportJob, ImportSettings
from guanxi.imports.parsing import ImportFileError
from guanxi.imports.services import (
    import_job_create,
    import_job_map,
    import_job_run,
    import_job_start,
    import_job_validate,
    import_jobs_fail_stale,
    import_template_apply,
    import_template_save,
)
from guanxi.imports.tests.helpers import csv_upload, xlsx_upload
from guanxi.workspaces.choices import Role

pytestmark = pytest.mark.django_db

HEADER = "姓名,手机,邮箱,公司,性别,生日\n"
GOOD = [
    "王小明,13800138000,wang@example.com,上海关系科技,男,1990-01-02",
    "李雷,13800138001,li@example.com,上海关系科技,女,1991/3/4",
    "韩梅梅,13800138002,han@example.com,,女,",
]


def run_import(membership, text, *, mode="create", match_on="", all_or_nothing=True, **kw):
    job = import_job_create(
        membership=membership, target=kw.get("target", "contacts"), upload=csv_upload(text)
    )
    import_job_map(
        job=job,
        mapping=kw.get("mapping", job.mapping),
        mode=mode,
        match_on=match_on,
        all_or_nothing=all_or_nothing,
    )
    return import_job_run(job=job)


def test_a_clean_file_creates_every_row_with_company_and_audit(admin):
    # given a CSV with three good rows, two at a company that does not exist yet
    job = run_import(admin, HEADER + "\n".join(GOOD) + "\n")
    # then every row is a contact, the company was created once, all marked as imported
    assert (job.status, job.created_count, job.updated_count, job.errors) == ("done", 3, 0, [])
    contacts = {c.name: c for c in Contact.objects.filter(workspace=admin.workspace)}
    assert contacts["王小明"].company.name == "上海关系科技"
    assert contacts["王小明"].gender == "male"
    assert contacts["王小明"].birthday == datetime.date(1990, 1, 2)
    assert contacts["韩梅梅"].company is None
    assert {c.source for c in contacts.values()} == {"import"}
    assert {c.owner_id for c in contacts.values()} == {admin.user_id}
    assert Company.objects.filter(workspace=admin.workspace).count() == 1
    # and one audit event per created record, from the import, personal data masked
    events = AuditEvent.objects.filter(workspace=admin.workspace, source="import")
    assert events.filter(action="create", object_type="contacts.contact").count() == 3
    assert events.filter(action="create", object_type="companies.company").count() == 1
    wang = events.get(object_id=str(contacts["王小明"].pk))
    assert wang.actor_id == admin.user_id
    assert wang.changes["mobile"] == [None, "138****8000"]


def test_all_or_nothing_writes_nothing_and_reports_every_bad_row(admin):
    # given two bad rows among good ones: a bad mobile, a missing name and a bad date
    text = HEADER + "\n".join(
        [GOOD[0], "赵四,12345,zhao@example.com,,男,", GOOD[1], ",13800138009,,,,1990-13-45"]
    )
    job = run_import(admin, text + "\n")
    # then nothing is written
    assert job.status == "failed"
    assert Contact.objects.filter(workspace=admin.workspace).count() == 0
    assert Company.objects.filter(workspace=admin.workspace).count() == 0
    assert not AuditEvent.objects.filter(workspace=admin.workspace, source="import").exists()
    # and the report names each bad row (file line numbers), column, value and reason
    assert (job.row_count, job.valid_count, job.invalid_count) == (4, 2, 2)
    report = sorted((e["row"], e["column"], e["value"]) for e in job.errors)
    assert report == sorted([(3, "手机", "12345"), (5, "生日", "1990-13-45"), (5, "姓名", "")])
    assert "China mobile" in next(e["reason"] for e in job.errors if e["column"] == "手机")
    assert "2 rows are invalid" in job.failure


def test_valid_rows_only_imports_the_good_rows_and_reports_the_rest(admin):
    text = HEADER + "\n".join([GOOD[0], "赵四,12345,,,,", GOOD[1]]) + "\n"
    job = run_import(admin, text, all_or_nothing=False)
    assert (job.status, job.created_count, job.skipped_count) == ("done", 2, 1)
    assert [e["row"] for e in job.errors] == [3]
    assert set(Contact.objects.values_list("name", flat=True)) == {"王小明", "李雷"}


def test_duplicates_within_the_file_are_row_errors(admin):
    text = HEADER + GOOD[0] + "\n" + "王二,138 0013 8000,other@example.com,,,\n"
    job = run_import(admin, text)
    assert job.status == "failed"
    assert [(e["row"], e["column"], e["reason"]) for e in job.errors] == [
        (3, "手机", "Same value as row 2 of this file.")
    ]


def test_create_mode_refuses_a_mobile_another_contact_has(admin):
    existing = ContactFactory(workspace=admin.workspace, name="老王", mobile="13800138000")
    job = run_import(admin, HEADER + GOOD[0] + "\n")
    assert job.errors[0]["column"] == "手机"
    assert str(existing.pk) in job.errors[0]["reason"]
    assert Contact.objects.count() == 1


@pytest.mark.parametrize(
    ("match_on", "header", "key_value"),
    [
        ("mobile", "手机", "+86 138-0013-8000"),
        ("email", "邮箱", "wang@EXAMPLE.com"),
        ("external_id", "外部编号", "ERP-1"),
    ],
    ids=["mobile", "email", "external_id"],
)
def test_upsert_updates_only_mapped_columns_of_the_matched_record(
    admin, match_on, header, key_value
):
    # given an existing contact
    contact = ContactFactory(
        workspace=admin.workspace,
        name="王小明",
        mobile="13800138000",
        email="wang@example.com",
        external_id="ERP-1",
        job_title="销售",
        city="上海",
        owner=admin.user,
    )
    # when a file keyed on one natural key changes the job title (city is not in the file)
    text = f"{header},职位\n{key_value},经理\n"
    job = run_import(admin, text, mode="upsert", match_on=match_on)
    # then that contact is updated, the unmapped fields are untouched, nothing is created
    assert (job.status, job.created_count, job.updated_count) == ("done", 0, 1), job.errors
    contact.refresh_from_db()
    assert (contact.job_title, contact.city, contact.name) == ("经理", "上海", "王小明")
    assert Contact.objects.count() == 1
    event = AuditEvent.objects.get(source="import", action="update")
    assert event.changes == {"job_title": ["销售", "经理"]}


def test_upsert_creates_unmatched_rows_and_skips_unchanged_ones(admin):
    ContactFactory(workspace=admin.workspace, name="王小明", mobile="13800138000", email="")
    text = "姓名,手机\n王小明,13800138000\n李雷,13800138001\n"
    job = run_import(admin, text, mode="upsert", match_on="mobile")
    assert (job.created_count, job.updated_count, job.skipped_count) == (1, 0, 1)


def test_a_sales_member_cannot_update_someone_elses_contact_by_upsert(member):
    sales = member(Role.SALES)
    other = ContactFactory(workspace=sales.workspace, mobile="13800138000", owner=None)
    other.owner = member(Role.SALES).user
    other.save()
    text = "姓名,手机,职位\n王,13800138000,CEO\n"
    job = run_import(sales, text, mode="upsert", match_on="mobile")
    # the row is treated as new and collides with the contact the member may not change
    assert job.status == "failed"
    assert "Already belongs" in job.errors[0]["reason"]
    other.refresh_from_db()
    assert other.job_title == ""


def test_contact_company_resolved_by_name_alias_or_external_id(admin):
    company = CompanyFactory(
        workspace=admin.workspace, name="上海关系科技有限公司", external_id="C-9"
    )
    company.aliases.create(workspace=admin.workspace, name="关系科技")
    text = "姓名,公司,公司外部编号\n甲,上海关系科技有限公司,\n乙,关系科技,\n丙,,C-9\n丁,,C-404\n"
    job = run_import(admin, text, all_or_nothing=False)
    assert {c.name: c.company_id for c in Contact.objects.all()} == {
        "甲": company.pk,
        "乙": company.pk,
        "丙": company.pk,
    }
    assert [(e["row"], e["column"]) for e in job.errors] == [(5, "公司外部编号")]
    assert Company.objects.count() == 1


def test_google_export_names_are_joined(admin):
    text = (
        "Given Name,Family Name,E-mail 1 - Value\n小明,王,a@example.com\nJohn,Smith,j@example.com\n"
    )
    job = run_import(admin, text)
    assert job.status == "done", job.errors
    assert set(Contact.objects.values_list("name", flat=True)) == {"王小明", "John Smith"}


def test_html_and_formulas_are_stored_as_plain_text(admin):
    text = '姓名,备注\n"<script>alert(1)</script>","=HYPERLINK(""http://x"")"\n'
    run_import(admin, text)
    contact = Contact.objects.get()
    assert contact.name == "<script>alert(1)</script>"
    assert contact.description == '=HYPERLINK("http://x")'


def test_companies_import_with_upsert_by_name(admin):
    CompanyFactory(workspace=admin.workspace, name="甲公司", city="")
    text = "公司名称,城市,行业\n甲公司,北京,Retail\n乙公司,上海,零售\n"
    job = run_import(admin, text, target="companies", mode="upsert", match_on="name")
    assert (job.status, job.created_count, job.updated_count) == ("done", 1, 1), job.errors
    assert dict(Company.objects.values_list("name", "city")) == {"甲公司": "北京", "乙公司": "上海"}
    assert set(Company.objects.values_list("industry", flat=True)) == {"retail"}


def test_xlsx_import(admin):
    upload = xlsx_upload([["姓名", "手机"], ["王小明", 13800138000]])
    job = import_job_create(membership=admin, target="contacts", upload=upload)
    import_job_map(job=job, mapping=job.mapping, mode="create")
    assert import_job_run(job=job).created_count == 1
    assert Contact.objects.get().mobile == "13800138000"


def test_the_workspace_row_limit_applies(admin):
    ImportSettings.objects.create(workspace=admin.workspace, row_limit=2)
    with pytest.raises(ImportFileError, match="more than 2 rows"):
        import_job_create(
            membership=admin, target="contacts", upload=csv_upload("姓名\n甲\n乙\n丙\n")
        )
    assert not ImportJob.objects.exists()


def test_the_uploaded_file_is_kept_outside_the_web_root(admin, settings):
    job = import_job_create(membership=admin, target="contacts", upload=csv_upload(HEADER))
    assert job.file_path == settings.GUANXI_IMPORT_DIR / str(admin.workspace_id) / str(job.pk)
    assert job.file_path.read_bytes() == HEADER.encode()


def test_mapping_requires_the_required_fields_and_one_column_per_field(admin):
    job = import_job_create(
        membership=admin, target="contacts", upload=csv_upload("手机,邮箱\n1,2\n")
    )
    with pytest.raises(ValidationError) as caught:
        import_job_map(job=job, mapping={"0": "mobile", "1": "mobile"}, mode="create")
    messages = caught.value.message_dict["mapping"]
    assert any("mapped twice" in m for m in messages)
    assert any("required field" in m for m in messages)
    with pytest.raises(ValidationError, match="Map a column to the field"):
        import_job_map(job=job, mapping={"0": "mobile"}, mode="upsert", match_on="email")


def test_validation_counts_without_writing(admin):
    job = import_job_create(
        membership=admin, target="contacts", upload=csv_upload(HEADER + GOOD[0] + "\n,1,,,,\n")
    )
    import_job_map(job=job, mapping=job.mapping, mode="create")
    outcome = import_job_validate(job=job, membership=admin)
    assert (job.status, job.valid_count, job.invalid_count) == ("validated", 1, 1)
    assert len(outcome.rows) == 2
    assert not Contact.objects.exists()


@pytest.mark.parametrize("role", [Role.VIEWER, Role.SERVICE, Role.MARKETING])
def test_roles_that_may_not_add_contacts_cannot_import_them(member, role):
    with pytest.raises(ApplicationError, match="may not import"):
        import_job_create(membership=member(role), target="contacts", upload=csv_upload(HEADER))


def test_a_writer_failing_mid_way_leaves_nothing_and_marks_the_job_failed(admin, monkeypatch):
    # given a large file and a writer that dies after its first batch of inserts
    rows = [f"客户{i},139{i:08d}" for i in range(1200)]
    job = import_job_create(
        membership=admin, target="contacts", upload=csv_upload("姓名,手机\n" + "\n".join(rows))
    )
    import_job_map(job=job, mapping=job.mapping, mode="create")
    real_insert = importers.instances_insert
    calls = []

    def insert_then_die(model, records, **kwargs):
        real_insert(model, records, **kwargs)
        calls.append(len(records))
        if len(calls) == 2:
            raise RuntimeError("worker died")

    monkeypatch.setattr(importers, "instances_insert", insert_then_die)
    # when the import runs
    with pytest.raises(RuntimeError):
        import_job_run(job=job)
    # then the first batch was written and rolled back: nothing is left, the job says failed
    assert calls == [500, 500]
    assert Contact.objects.count() == 0
    assert not AuditEvent.objects.filter(source="import").exists()
    job.refresh_from_db()
    assert job.status == "failed"
    assert "RuntimeError" in job.failure


def test_start_runs_the_job_in_the_background(admin, django_capture_on_commit_callbacks):
    job = import_job_create(
        membership=admin, target="contacts", upload=csv_upload(HEADER + GOOD[0])
    )
    import_job_map(job=job, mapping=job.mapping, mode="create")
    with django_capture_on_commit_callbacks(execute=True):
        import_job_start(job=job)
    job.refresh_from_db()
    assert (job.status, job.progress, job.created_count) == ("done", 100, 1)
    with pytest.raises(ApplicationError, match="already run"):
        import_job_start(job=job)


def test_stale_running_jobs_are_marked_failed_once(admin):
    job = import_job_create(membership=admin, target="contacts", upload=csv_upload(HEADER))
    ImportJob.objects.filter(pk=job.pk).update(status="importing")
    later = timezone.now() + datetime.timedelta(hours=1)
    assert import_jobs_fail_stale(now=later) == 1
    assert import_jobs_fail_stale(now=later) == 0
    job.refresh_from_db()
    assert job.status == "failed"


def test_templates_save_and_apply_by_header(admin):
    job = import_job_create(
        membership=admin, target="contacts", upload=csv_upload("客户名,联系方式\n王,13800138000\n")
    )
    import_job_map(job=job, mapping={"0": "name", "1": "mobile"}, mode="create")
    template = import_template_save(job=job, name="门店导出", actor=admin.user)
    assert template.mapping == {"客户名": "name", "联系方式": "mobile"}
    other = import_job_create(
        membership=admin, target="contacts", upload=csv_upload("联系方式,客户名\n1,2\n")
    )
    assert import_template_apply(job=other, template=template).mapping == {
        "0": "mobile",
        "1": "name",
    }
