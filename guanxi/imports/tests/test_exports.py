"""List exports: filters and visibility, masking, CSV injection, large lists as a job, and files
that import back."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from guanxi.companies.tests.factories import CompanyFactory
from guanxi.contacts.models import Contact
from guanxi.contacts.tests.factories import ContactFactory
from guanxi.imports import exports
from guanxi.imports.models import ExportJob
from guanxi.imports.services import import_job_create, import_job_map, import_job_run
from guanxi.workspaces.choices import Role
from guanxi.workspaces.tests.factories import TeamFactory

pytestmark = pytest.mark.django_db


def csv_rows(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(body)))


def export(client, target="contacts", **params):
    return client.get(reverse(f"imports:export_{target}"), {"format": "csv", **params})


def test_csv_export_of_the_filtered_list_with_labels_as_headers(admin, api_client):
    # given contacts in two lifecycle stages
    company = CompanyFactory(workspace=admin.workspace, name="关系科技")
    ContactFactory(
        workspace=admin.workspace, name="王小明", company=company, lifecycle_stage="customer"
    )
    ContactFactory(workspace=admin.workspace, name="李雷", lifecycle_stage="lead")
    # when the customers are exported
    response = export(api_client(admin), lifecycle_stage="customer")
    # then one row comes back, with the company's name and the stage's label
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="contacts-')
    header, *rows = csv_rows(response)
    assert header[:3] == ["Name", "Mobile", "Email"]
    assert len(rows) == 1
    row = dict(zip(header, rows[0], strict=True))
    assert (row["Name"], row["Company"], row["Lifecycle stage"]) == (
        "王小明",
        "关系科技",
        "Customer",
    )


def test_export_respects_record_visibility(member, api_client):
    # given a sales member in a team and a contact of another team's member
    sales = member(Role.SALES, team=TeamFactory(workspace=member().workspace))
    ContactFactory(workspace=sales.workspace, name="mine", owner=sales.user)
    ContactFactory(workspace=sales.workspace, name="theirs", owner=member(Role.SALES).user)
    _header, *rows = csv_rows(export(api_client(sales)))
    assert [row[0] for row in rows] == ["mine"]


def test_personal_fields_are_masked_for_roles_without_view_sensitive(member, api_client):
    marketing = member(Role.MARKETING)
    ContactFactory(workspace=marketing.workspace, mobile="13800138000", email="wang@example.com")
    header, row = csv_rows(export(api_client(marketing)))
    values = dict(zip(header, row, strict=True))
    assert (values["Mobile"], values["Email"]) == ("138****8000", "w***@example.com")


def test_viewers_may_not_export(member, api_client):
    # the viewer role has no export action on contacts (core permissions matrix)
    response = export(api_client(member(Role.VIEWER)))
    assert response.status_code == 403


def test_formula_cells_are_neutralised_in_csv(admin, api_client):
    ContactFactory(workspace=admin.workspace, name="=cmd|' /C calc'!A0", description="@SUM(1)")
    header, row = csv_rows(export(api_client(admin)))
    values = dict(zip(header, row, strict=True))
    assert values["Name"] == "'=cmd|' /C calc'!A0"
    assert values["Notes"] == "'@SUM(1)"


@pytest.mark.parametrize("value", ["=1+2", "+1", "-1", "@A1", "\tx", "\rx", "ok"])
def test_neutralise(value):
    assert exports.neutralise(value) == (value if value == "ok" else "'" + value)


def test_xlsx_export_writes_formula_text_as_strings(admin, api_client):
    ContactFactory(workspace=admin.workspace, name="=1+2")
    response = api_client(admin).get(reverse("imports:export_contacts"), {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    cell = sheet["A2"]
    assert (cell.value, cell.data_type) == ("=1+2", "s")


def test_large_exports_run_as_a_job_with_a_download(
    admin, api_client, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(exports, "STREAM_LIMIT", 2)
    for _ in range(3):
        ContactFactory(workspace=admin.workspace)
    client = api_client(admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = export(client)
    job = ExportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == job.get_absolute_url()
    job.refresh_from_db()
    assert (job.status, job.row_count) == ("done", 3)
    assert client.get(job.get_absolute_url()).status_code == 200
    download = client.get(reverse("imports:export_download", args=[job.pk]))
    body = b"".join(download.streaming_content).decode("utf-8-sig")
    assert len(list(csv.reader(io.StringIO(body)))) == 4


def test_another_members_export_job_is_404(member, api_client):
    sales = member(Role.SALES)
    job = ExportJob.objects.create(workspace=sales.workspace, target="contacts", file_format="csv")
    response = api_client(member(Role.SALES)).get(job.get_absolute_url())
    assert response.status_code == 404


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_an_export_imports_back(admin, member, other_workspace, api_client, file_format):
    # given contacts with a company, a choice and a date
    company = CompanyFactory(workspace=admin.workspace, name="关系科技")
    ContactFactory(
        workspace=admin.workspace,
        name="王小明",
        company=company,
        gender="male",
        description="=not a formula",
        mobile="+447911123456",
    )
    response = api_client(admin).get(reverse("imports:export_contacts"), {"format": file_format})
    data = b"".join(response.streaming_content) if response.streaming else response.content
    # when the file is imported into another workspace
    other = member(Role.ADMIN, in_workspace=other_workspace)
    job = import_job_create(
        membership=other, target="contacts", upload=SimpleUploadedFile(f"e.{file_format}", data)
    )
    import_job_map(job=job, mapping=job.mapping, mode="create")
    job = import_job_run(job=job)
    # then the contact comes back as it was
    assert job.status == "done", job.errors
    copy = Contact.objects.get(workspace=other.workspace)
    assert (copy.name, copy.company.name, copy.gender) == ("王小明", "关系科技", "male")
    assert (copy.mobile, copy.description) == ("+447911123456", "=not a formula")
