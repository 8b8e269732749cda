"""The import wizard's pages: upload, mapping, preview, start, progress, report, templates."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from guanxi.contacts.models import Contact
from guanxi.imports.models import ImportJob, ImportTemplate
from guanxi.imports.tests.factories import ImportJobFactory
from guanxi.workspaces.choices import Role

pytestmark = pytest.mark.django_db

GBK_FILE = "姓名,手机,邮箱\n王小明,13800138000,wang@example.com\n李雷,12345,li@example.com\n"


def upload(client, text: str, name: str = "客户.csv", encoding: str = "gbk", target="contacts"):
    return client.post(
        reverse("imports:create"),
        {"target": target, "file": SimpleUploadedFile(name, text.encode(encoding))},
    )


def mapping_post(job: ImportJob, **options) -> dict:
    data = {f"column_{i}": key for i, key in job.mapping.items()}
    data.update({"mode": "create", "all_or_nothing": "on", **options})
    return data


def test_the_wizard_from_upload_to_report(admin, api_client, django_capture_on_commit_callbacks):
    client = api_client(admin)
    # when a GBK file is uploaded
    response = upload(client, GBK_FILE)
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == job.get_absolute_url()
    # then the job page shows the detected encoding and the auto-matched columns
    page = client.get(job.get_absolute_url()).content.decode()
    assert "GBK/GB18030" in page
    assert '<option value="mobile" selected>' in page
    # when the mapping is checked, the preview shows each row's result
    response = client.post(reverse("imports:map", args=[job.pk]), mapping_post(job))
    assert response.status_code == 302
    page = client.get(job.get_absolute_url()).content.decode()
    assert "2 rows: 1 valid, 1 invalid." in page
    assert "Enter a China mobile number" in page
    # and all-or-nothing offers no import button while a row is invalid
    assert 'id="start-import"' not in page
    # when only the valid rows are wanted, the import runs and reports
    options = mapping_post(job)
    del options["all_or_nothing"]
    client.post(reverse("imports:map", args=[job.pk]), options)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("imports:start", args=[job.pk]))
    job.refresh_from_db()
    assert (job.status, job.created_count) == ("done", 1)
    page = client.get(job.get_absolute_url()).content.decode()
    assert "1 created, 0 updated, 1 skipped." in page
    assert list(Contact.objects.values_list("name", flat=True)) == ["王小明"]
    # and the error report downloads as CSV
    report = client.get(reverse("imports:errors", args=[job.pk]))
    rows = list(csv.reader(io.StringIO(b"".join(report.streaming_content).decode("utf-8-sig"))))
    assert rows[0] == ["Row", "Column", "Value", "Reason"]
    assert rows[1][:3] == ["3", "手机", "12345"]


def test_a_hostile_upload_is_refused_with_a_clear_message(admin, api_client):
    response = upload(api_client(admin), "not a workbook", name="c.xlsx", encoding="utf-8")
    assert response.status_code == 400
    assert "not an Excel workbook" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_mapping_errors_are_shown_on_the_page(admin, api_client):
    client = api_client(admin)
    upload(client, GBK_FILE)
    job = ImportJob.objects.get()
    response = client.post(
        reverse("imports:map", args=[job.pk]), {"column_1": "mobile", "mode": "create"}
    )
    assert response.status_code == 400
    assert "Map a column to each required field" in response.content.decode()


def test_progress_is_a_partial_that_polls_while_running(admin, api_client):
    job = ImportJobFactory(workspace=admin.workspace, created_by=admin.user, status="importing")
    job.progress = 40
    job.save()
    client = api_client(admin)
    response = client.get(reverse("imports:progress", args=[job.pk]), HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert 'hx-trigger="every 1s"' in body
    assert 'value="40"' in body
    job.status = "done"
    job.save()
    response = client.get(reverse("imports:progress", args=[job.pk]), HTTP_HX_REQUEST="true")
    assert response["HX-Refresh"] == "true"


def test_save_and_apply_a_template(admin, api_client):
    client = api_client(admin)
    upload(client, GBK_FILE)
    job = ImportJob.objects.get()
    client.post(reverse("imports:save_template", args=[job.pk]), {"name": "门店"})
    template = ImportTemplate.objects.get()
    assert template.mapping == {"姓名": "name", "手机": "mobile", "邮箱": "email"}
    job.mapping = {}
    job.save()
    client.post(reverse("imports:apply_template", args=[job.pk]), {"template": str(template.pk)})
    job.refresh_from_db()
    assert job.mapping == {"0": "name", "1": "mobile", "2": "email"}


@pytest.mark.parametrize(("language", "first"), [("en", "Name *"), ("zh-hans", "姓名 *")])
def test_templates_download_in_the_page_language(admin, api_client, language, first):
    client = api_client(admin)
    response = client.get(reverse("imports:template_contacts_xlsx"), HTTP_ACCEPT_LANGUAGE=language)
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A1"].value == first
    csv_response = client.get(
        reverse("imports:template_contacts_csv"), HTTP_ACCEPT_LANGUAGE=language
    )
    assert csv_response.content.decode("utf-8-sig").startswith(first)


def test_members_see_only_their_own_jobs(member, api_client):
    sales = member(Role.SALES)
    mine = ImportJobFactory(workspace=sales.workspace, created_by=sales.user)
    theirs = ImportJobFactory(workspace=sales.workspace, created_by=member(Role.SALES).user)
    client = api_client(sales)
    page = client.get(reverse("imports:list")).content.decode()
    assert mine.original_name in page
    assert theirs.original_name not in page
    assert client.get(theirs.get_absolute_url()).status_code == 404


def test_viewers_cannot_upload(member, api_client):
    response = api_client(member(Role.VIEWER)).get(reverse("imports:create"))
    assert response.status_code == 403


def test_delete_asks_first_and_removes_the_file(admin, api_client):
    client = api_client(admin)
    upload(client, GBK_FILE)
    job = ImportJob.objects.get()
    assert job.file_path.exists()
    assert client.get(reverse("imports:delete", args=[job.pk])).status_code == 200
    assert ImportJob.objects.exists()
    client.post(reverse("imports:delete", args=[job.pk]))
    assert not ImportJob.objects.exists()
    assert not job.file_path.exists()


def test_list_pages_offer_export_links_to_roles_that_may_export(member, api_client):
    page = api_client(member(Role.MARKETING)).get(reverse("contacts:list")).content.decode()
    assert reverse("imports:export_contacts") + "?format=csv" in page
    page = api_client(member(Role.VIEWER)).get(reverse("contacts:list")).content.decode()
    assert reverse("imports:export_contacts") not in page


def test_the_upload_form_offers_only_targets_the_role_may_add_to(member, api_client):
    page = api_client(member(Role.SERVICE)).get(reverse("imports:create")).content.decode()
    assert 'value="members"' in page
    assert 'value="contacts"' not in page
    response = upload(api_client(member(Role.SERVICE)), GBK_FILE)
    assert response.status_code == 400
    assert not ImportJob.objects.exists()
