"""/api/v1/duplicates/: list, dismiss, merge, scan — scoped, permission-checked, hostile input."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from guanxi.contacts.models import Contact
from guanxi.contacts.tests.factories import ContactFactory
from guanxi.core.testing import APIQueryCountTests
from guanxi.quality.choices import CandidateStatus, RecordType
from guanxi.quality.models import DuplicateCandidate
from guanxi.quality.tests.factories import candidate_in
from guanxi.workspaces.choices import Role

pytestmark = pytest.mark.django_db
LIST = "/api/v1/duplicates/"
MERGE = "/api/v1/duplicates/merge/"


class TestDuplicateCandidateQueries(APIQueryCountTests):
    basename = "duplicatecandidate"
    model = DuplicateCandidate

    def make(self, workspace, **kwargs: Any) -> DuplicateCandidate:
        return candidate_in(workspace)

    def make_rich(self, workspace, *, owner) -> DuplicateCandidate:
        return candidate_in(workspace)


def test_list_shows_only_this_workspaces_pairs(admin, api_client, other_workspace):
    own = candidate_in(admin.workspace)
    candidate_in(other_workspace)
    rows = api_client(admin).get(LIST).json()["results"]
    assert [row["id"] for row in rows] == [str(own.pk)]


def test_list_filters_by_status(admin, api_client):
    candidate_in(admin.workspace)
    client = api_client(admin)
    assert len(client.get(LIST, {"status": "open"}).json()["results"]) == 1
    assert client.get(LIST, {"status": "dismissed"}).json()["results"] == []
    assert client.get(LIST, {"status": "<b>"}).status_code == 400


def test_dismiss(admin, api_client):
    candidate = candidate_in(admin.workspace)
    response = api_client(admin).post(
        reverse("api:duplicatecandidate-dismiss", args=[candidate.pk])
    )
    assert response.status_code == 200 and response.json()["status"] == CandidateStatus.DISMISSED


def test_dismiss_needs_change(member, api_client, workspace):
    candidate = candidate_in(workspace)
    response = api_client(member(Role.SALES)).post(
        reverse("api:duplicatecandidate-dismiss", args=[candidate.pk])
    )
    assert response.status_code == 403
    candidate.refresh_from_db()
    assert candidate.status == CandidateStatus.OPEN


def test_merge(admin, api_client):
    a = ContactFactory(workspace=admin.workspace, job_title="")
    b = ContactFactory(workspace=admin.workspace, job_title="CTO")
    body = {
        "record_type": RecordType.CONTACT,
        "survivor": str(a.pk),
        "duplicates": [str(b.pk)],
        "field_choices": {"name": str(b.pk)},
    }
    response = api_client(admin).post(MERGE, body, format="json")
    assert response.status_code == 200, response.content
    assert response.json() == {"survivor": str(a.pk), "merged": [str(b.pk)]}
    a.refresh_from_db()
    assert (a.name, a.job_title) == (b.name, "CTO")


@pytest.mark.parametrize(
    ("case", "status"),
    [("foreign", 400), ("itself", 400), ("garbage", 400), ("empty", 400), ("sales", 403)],
    ids=str,
)
def test_hostile_merges(case, status, admin, member, api_client, other_workspace):
    own = ContactFactory(workspace=admin.workspace)
    foreign = ContactFactory(workspace=other_workspace)
    bodies = {
        "foreign": {"duplicates": [str(foreign.pk)]},
        "itself": {"duplicates": [str(own.pk)]},
        "garbage": {"duplicates": ["x", 5], "field_choices": {"name": "<script>"}},
        "empty": {"duplicates": []},
        "sales": {"duplicates": [str(ContactFactory(workspace=admin.workspace).pk)]},
    }
    body = {"record_type": RecordType.CONTACT, "survivor": str(own.pk), **bodies[case]}
    client = api_client(member(Role.SALES) if case == "sales" else admin)
    response = client.post(MERGE, body, format="json")
    assert response.status_code == status, response.content
    assert "error" in response.json()
    assert (
        Contact.objects.filter(pk=foreign.pk).exists()
        and Contact.objects.filter(pk=own.pk).exists()
    )


def test_scan_runs_the_job(admin, api_client, django_capture_on_commit_callbacks):
    ContactFactory(workspace=admin.workspace, name="张伟", mobile="", email="")
    ContactFactory(workspace=admin.workspace, name="Zhang Wei", mobile="", email="")
    from guanxi.quality.models import QualitySettings

    QualitySettings.objects.create(workspace=admin.workspace, duplicate_threshold=70)
    with django_capture_on_commit_callbacks(execute=True):
        response = api_client(admin).post(
            "/api/v1/duplicates/scan/", {"record_type": RecordType.CONTACT}, format="json"
        )
    assert response.status_code == 202
    assert DuplicateCandidate.objects.filter(workspace=admin.workspace).count() == 1
