"""/api/v1/imports/: read-only job status and error report."""

from __future__ import annotations

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from guanxi.core.testing import APIQueryCountTests
from guanxi.imports.models import ImportJob
from guanxi.imports.tests.factories import ImportJobFactory
from guanxi.workspaces.choices import Role

pytestmark = pytest.mark.django_db

LIST = "/api/v1/imports/"


class TestImportJobAPI(APIQueryCountTests):
    basename = "importjob"
    model = ImportJob

    def make(self, workspace, **kwargs):
        return ImportJobFactory(workspace=workspace, **kwargs)

    def make_rich(self, workspace, *, owner):
        return self.make(workspace, created_by=owner)


def test_a_job_reports_status_counts_and_errors(admin, api_client):
    errors = [{"row": 3, "column": "手机", "value": "123", "reason": "bad"}]
    job = ImportJobFactory(
        workspace=admin.workspace, created_by=admin.user, status="failed", errors=errors
    )
    response = api_client(admin).get(reverse("api:importjob-detail", args=[job.pk]))
    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["errors"], body["created_by"]["id"]) == (
        "failed",
        errors,
        str(admin.user_id),
    )


def test_members_list_only_their_own_jobs_and_admins_all(admin, member, api_client):
    sales = member(Role.SALES)
    mine = ImportJobFactory(workspace=sales.workspace, created_by=sales.user)
    ImportJobFactory(workspace=sales.workspace, created_by=admin.user)
    ids = [row["id"] for row in api_client(sales).get(LIST).json()["results"]]
    assert ids == [str(mine.pk)]
    assert len(api_client(admin).get(LIST).json()["results"]) == 2


def test_another_workspaces_job_is_404(admin, other_workspace, api_client):
    foreign = ImportJobFactory(workspace=other_workspace)
    response = api_client(admin).get(reverse("api:importjob-detail", args=[foreign.pk]))
    assert response.status_code == 404


@pytest.mark.parametrize("method", ["post", "patch", "put", "delete"])
def test_the_api_is_read_only(admin, api_client, method):
    job = ImportJobFactory(workspace=admin.workspace, created_by=admin.user)
    url = LIST if method == "post" else reverse("api:importjob-detail", args=[job.pk])
    response = getattr(api_client(admin), method)(url, {"status": "done"}, format="json")
    assert response.status_code == 405
    job.refresh_from_db()
    assert job.status == "uploaded"


def test_anonymous_gets_401():
    assert APIClient().get(LIST).status_code == 401
