"""The import writes the preview's validated rows instead of validating every row again, but
only while they still stand: what stored records decide is checked again, and a changed
mapping, custom field or tampered file makes the import validate afresh."""

from __future__ import annotations

from unittest import mock

import pytest

from guanxi.companies.models import Company
from guanxi.companies.tests.factories import CompanyFactory
from guanxi.contacts.models import Contact
from guanxi.contacts.tests.factories import ContactFactory
from guanxi.customfields.services import definition_create, definition_update
from guanxi.imports.importers import ContactImporter
from guanxi.imports.services import (
    import_job_create,
    import_job_map,
    import_job_run,
    import_job_validate,
)
from guanxi.imports.tests.helpers import csv_upload
from guanxi.imports.validated import path_of

pytestmark = pytest.mark.django_db

FILE = (
    "姓名,手机,邮箱,公司\n"
    "王小明,13800138000,wang@example.com,上海关系科技\n"
    "李雷,13800138001,li@example.com,上海关系科技\n"
)


def previewed(membership, text=FILE, **options):
    """A job mapped and validated, as the wizard's preview leaves it."""
    job = import_job_create(membership=membership, target="contacts", upload=csv_upload(text))
    job = import_job_map(job=job, mapping=job.mapping, mode="create", **options)
    outcome = import_job_validate(job=job, membership=membership)
    return job, outcome


def no_second_validation():
    return mock.patch.object(
        ContactImporter, "validate", side_effect=AssertionError("validated twice")
    )


def test_the_import_writes_the_previews_rows_without_validating_them_again(admin):
    job, outcome = previewed(admin)
    assert outcome.invalid_count == 0 and path_of(job).exists()
    with no_second_validation():
        job = import_job_run(job=job)
    assert (job.status, job.created_count) == ("done", 2)
    wang = Contact.objects.get(workspace=admin.workspace, name="王小明")
    assert (wang.mobile, wang.email, wang.company.name) == (
        "13800138000",
        "wang@example.com",
        "上海关系科技",
    )
    # the kept rows are gone with the import: a second run could not write them twice
    assert not path_of(job).exists()


def test_a_mobile_taken_after_the_preview_still_rejects_the_file(admin):
    job, _outcome = previewed(admin)
    ContactFactory(workspace=admin.workspace, name="先来的", mobile="13800138001")
    with no_second_validation():
        job = import_job_run(job=job)
    assert (job.status, job.created_count) == ("failed", 0)
    assert [(e["row"], e["column"]) for e in job.errors] == [(3, "手机")]
    assert "先来的" in job.errors[0]["reason"]
    assert not Contact.objects.filter(workspace=admin.workspace, name="王小明").exists()


def test_with_valid_rows_only_a_row_taken_meanwhile_is_skipped(admin):
    job, _outcome = previewed(admin, all_or_nothing=False)
    ContactFactory(workspace=admin.workspace, name="先来的", email="li@example.com")
    with no_second_validation():
        job = import_job_run(job=job)
    assert (job.status, job.created_count, job.skipped_count) == ("done", 1, 1)
    assert set(
        Contact.objects.filter(workspace=admin.workspace).values_list("name", flat=True)
    ) == {
        "王小明",
        "先来的",
    }


def test_a_company_created_after_the_preview_is_used_not_created_twice(admin):
    job, _outcome = previewed(admin)
    company = CompanyFactory(workspace=admin.workspace, name="上海关系科技")
    with no_second_validation():
        job = import_job_run(job=job)
    assert job.status == "done"
    assert Company.objects.filter(workspace=admin.workspace, name="上海关系科技").count() == 1
    assert set(
        Contact.objects.filter(workspace=admin.workspace).values_list("company", flat=True)
    ) == {company.pk}


def test_a_changed_mapping_discards_the_previews_rows(admin):
    job, _outcome = previewed(admin)
    mapping = {index: key for index, key in job.mapping.items() if key != "email"}
    job = import_job_map(job=job, mapping=mapping, mode="create")
    assert not path_of(job).exists()
    job = import_job_run(job=job)
    assert job.status == "done"
    assert set(
        Contact.objects.filter(workspace=admin.workspace).values_list("email", flat=True)
    ) == {""}


def test_a_custom_field_made_required_after_the_preview_is_checked(admin):
    definition = definition_create(
        workspace=admin.workspace,
        actor=admin.user,
        model="contacts.contact",
        key="vip_code",
        label="VIP code",
        type="text",
    )
    job, _outcome = previewed(admin)
    definition_update(definition=definition, actor=admin.user, data={"required": True})
    job = import_job_run(job=job)
    assert (job.status, job.created_count) == ("failed", 0)
    assert {e["row"] for e in job.errors} == {2, 3}


def test_a_tampered_file_of_validated_rows_is_ignored(admin):
    job, _outcome = previewed(admin)
    kept = path_of(job).read_bytes()
    path_of(job).write_bytes(kept[:-1] + bytes([kept[-1] ^ 1]))
    calls = []
    original = ContactImporter.validate

    def counted(importer, **kwargs):
        calls.append(kwargs["mode"])
        return original(importer, **kwargs)

    with mock.patch.object(ContactImporter, "validate", counted):
        job = import_job_run(job=job)
    assert calls == ["create"]
    assert (job.status, job.created_count) == ("done", 2)


def test_a_preview_with_invalid_rows_is_validated_again_at_import(admin):
    # the conflicting record is gone by the time the member imports: the row is valid now
    other = ContactFactory(workspace=admin.workspace, mobile="13800138000")
    job, outcome = previewed(admin)
    assert outcome.invalid_count == 1
    other.delete()
    job = import_job_run(job=job)
    assert (job.status, job.created_count) == ("done", 2)


def test_upserts_always_validate_again(admin):
    ContactFactory(workspace=admin.workspace, name="旧名", mobile="13800138000")
    job = import_job_create(membership=admin, target="contacts", upload=csv_upload(FILE))
    job = import_job_map(job=job, mapping=job.mapping, mode="upsert", match_on="mobile")
    import_job_validate(job=job, membership=admin)
    assert not path_of(job).exists()
    job = import_job_run(job=job)
    assert (job.status, job.created_count, job.updated_count) == ("done", 1, 1)
