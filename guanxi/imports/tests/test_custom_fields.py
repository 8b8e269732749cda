"""Custom field columns: matched by label, parsed and validated by the custom fields' own rules,
exported and imported back."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from guanxi.contacts.models import Contact
from guanxi.contacts.tests.factories import ContactFactory
from guanxi.customfields.tests.factories import CustomFieldDefinitionFactory
from guanxi.imports.services import import_job_create, import_job_map, import_job_run
from guanxi.imports.tests.helpers import csv_upload
from guanxi.workspaces.choices import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def fields(workspace):
    return {
        "level": CustomFieldDefinitionFactory(
            workspace=workspace, key="level", label="会员等级", type="choice", choices=["金", "银"]
        ),
        "visits": CustomFieldDefinitionFactory(
            workspace=workspace, key="visits", label="到店次数", type="number"
        ),
    }


def run(membership, text, **options):
    job = import_job_create(membership=membership, target="contacts", upload=csv_upload(text))
    import_job_map(job=job, mapping=job.mapping, **{"mode": "create", **options})
    return import_job_run(job=job)


def test_custom_columns_are_matched_validated_and_stored(admin, fields):
    text = "姓名,会员等级,到店次数\n甲,金,3\n乙,铜,x\n"
    job = run(admin, text, all_or_nothing=False)
    assert job.mapping == {"0": "name", "1": "cf:level", "2": "cf:visits"}
    assert job.created_count == 1
    assert Contact.objects.get().custom_fields == {"level": "金", "visits": 3}
    assert sorted((e["row"], e["column"]) for e in job.errors) == [(3, "会员等级"), (3, "到店次数")]


def test_a_required_custom_field_must_have_a_value(admin, fields):
    fields["level"].required = True
    fields["level"].save()
    job = run(admin, "姓名,会员等级\n甲,\n")
    assert job.status == "failed"
    assert "this field is required" in job.errors[0]["reason"]


def test_upsert_changes_only_the_mapped_custom_keys(admin, fields):
    contact = ContactFactory(
        workspace=admin.workspace, mobile="13800138000", custom_fields={"level": "银", "visits": 9}
    )
    job = run(admin, "手机,会员等级\n13800138000,金\n", mode="upsert", match_on="mobile")
    assert job.updated_count == 1, job.errors
    contact.refresh_from_db()
    assert contact.custom_fields == {"level": "金", "visits": 9}


def test_custom_fields_are_exported_and_import_back(
    admin, member, api_client, fields, other_workspace
):
    ContactFactory(workspace=admin.workspace, name="甲", custom_fields={"level": "金", "visits": 3})
    response = api_client(admin).get(reverse("imports:export_contacts"), {"format": "csv"})
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    header, row = list(csv.reader(io.StringIO(body)))
    assert dict(zip(header, row, strict=True))["会员等级"] == "金"
    # a workspace with the same custom fields takes the file back as it is
    for definition in fields.values():
        definition.pk, definition.workspace = None, other_workspace
        definition.save()
    copy_admin = member(Role.ADMIN, in_workspace=other_workspace)
    job = run(copy_admin, body)
    assert job.status == "done", job.errors
    copy = Contact.objects.get(workspace=other_workspace)
    assert copy.custom_fields == {"level": "金", "visits": 3}
