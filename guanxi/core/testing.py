"""Reusable API test mixins: every model's API tests inherit CRUD, permission, tenancy,
concurrency and query-count checks instead of rewriting them (as NetBox's utilities.testing).

A test class sets `basename`, `model`, `resource` and implements `make(workspace, **kwargs)`,
`create_payload()` and `update_payload()`; pytest-django fixtures from conftest.py do the rest.
"""

from __future__ import annotations

from typing import Any, ClassVar

import pytest
from django.db import connection
from django.db.models import Model
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from guanxi.users.services import api_token_create
from guanxi.workspaces.choices import Role

LIST_QUERY_SAMPLE = 50


def token_client(membership) -> APIClient:
    """An API client authenticated with a fresh personal token of this membership."""
    _token, key = api_token_create(
        user=membership.user, workspace=membership.workspace, name="tests"
    )
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def row_state(instance: Model) -> dict[str, Any]:
    """Every stored column of the row, read fresh: to prove a refused request changed nothing."""
    fresh = type(instance)._base_manager.get(pk=instance.pk)
    return {f.attname: getattr(fresh, f.attname) for f in fresh._meta.concrete_fields}


class RecordTestMixin:
    """What API and view test classes alike declare: the model and how to make its rows."""

    model: ClassVar[type[Model]]
    # a role that may read but not add, change or delete
    read_only_role: ClassVar[str] = Role.VIEWER

    def make(self, workspace, **kwargs: Any) -> Model:
        raise NotImplementedError

    def make_rich(self, workspace, *, owner) -> Model:
        """A row with its relations filled (owner, tags …), for the query-count test."""
        return self.make(workspace, owner=owner)


class APITestMixin(RecordTestMixin):
    """Shared attributes and helpers; the concrete test class fills them in."""

    basename: ClassVar[str]

    def create_payload(self) -> dict[str, Any]:
        raise NotImplementedError

    def update_payload(self) -> dict[str, Any]:
        raise NotImplementedError

    def list_url(self) -> str:
        return reverse(f"api:{self.basename}-list")

    def detail_url(self, obj: Model | Any) -> str:
        return reverse(f"api:{self.basename}-detail", args=[getattr(obj, "pk", obj)])


class APICrudTests(APITestMixin):
    def test_list_returns_only_this_workspaces_rows(
        self, admin, other_workspace, api_client
    ) -> None:
        # given one row here and one in another workspace
        mine = self.make(admin.workspace)
        self.make(other_workspace)
        # when
        response = api_client(admin).get(self.list_url())
        # then
        assert response.status_code == 200
        assert [row["id"] for row in response.json()["results"]] == [str(mine.pk)]

    def test_retrieve_returns_the_row_and_its_etag(self, admin, api_client) -> None:
        obj = self.make(admin.workspace)
        response = api_client(admin).get(self.detail_url(obj))
        assert response.status_code == 200
        assert response.json()["id"] == str(obj.pk)
        assert response["ETag"] == obj.etag

    def test_create_stores_the_row_in_the_callers_workspace(self, admin, api_client) -> None:
        response = api_client(admin).post(self.list_url(), self.create_payload(), format="json")
        assert response.status_code == 201, response.json()
        created = self.model.objects.get(pk=response.json()["id"])
        assert created.workspace_id == admin.workspace_id
        assert created.owner_id == admin.user_id
        assert response["ETag"] == created.etag

    def test_patch_changes_the_given_fields_and_the_etag(self, admin, api_client) -> None:
        obj = self.make(admin.workspace)
        payload = self.update_payload()
        response = api_client(admin).patch(
            self.detail_url(obj), payload, format="json", HTTP_IF_MATCH=obj.etag
        )
        assert response.status_code == 200, response.json()
        obj.refresh_from_db()
        assert {name: response.json()[name] for name in payload} == payload
        assert {name: getattr(obj, name) for name in payload} == payload
        assert response["ETag"] == obj.etag

    def test_put_replaces_the_row(self, admin, api_client) -> None:
        obj = self.make(admin.workspace)
        payload = self.create_payload()
        response = api_client(admin).put(self.detail_url(obj), payload, format="json")
        assert response.status_code == 200, response.json()
        obj.refresh_from_db()
        assert obj.name == payload["name"]

    def test_delete_removes_the_row(self, admin, api_client) -> None:
        obj = self.make(admin.workspace)
        response = api_client(admin).delete(self.detail_url(obj), HTTP_IF_MATCH=obj.etag)
        assert response.status_code == 204
        assert not self.model.objects.filter(pk=obj.pk).exists()

    def test_writes_ignore_workspace_id_and_audit_fields_in_the_body(
        self, admin, other_workspace, api_client
    ) -> None:
        # given a body that tries to choose the workspace, the id and the timestamps
        forged = {
            "workspace": str(other_workspace.pk),
            "id": "01890000-0000-7000-8000-000000000000",
            "created_at": "2001-01-01T00:00:00Z",
            "updated_at": "2001-01-01T00:00:00Z",
        }
        client = api_client(admin)
        # when creating
        response = client.post(self.list_url(), {**self.create_payload(), **forged}, format="json")
        # then none of them is taken
        assert response.status_code == 201, response.json()
        created = self.model.objects.get(pk=response.json()["id"])
        assert str(created.pk) != forged["id"]
        assert created.workspace_id == admin.workspace_id
        assert created.created_at.year > 2001
        # and updating cannot move or re-date the row either
        response = client.patch(self.detail_url(created), forged, format="json")
        assert response.status_code == 200
        assert row_state(created)["workspace_id"] == admin.workspace_id
        assert row_state(created)["created_at"] == created.created_at
        assert not self.model.objects.filter(workspace=other_workspace).exists()


class APIPermissionTests(APITestMixin):
    @pytest.mark.parametrize(
        "method", ["list", "retrieve", "create", "patch", "put", "delete"], ids=str
    )
    def test_anonymous_gets_401_and_nothing_changes(self, method, workspace) -> None:
        obj = self.make(workspace)
        before = row_state(obj)
        response = self.send(APIClient(), method, obj)
        assert response.status_code == 401
        assert response.json()["error"]["status"] == 401
        assert row_state(obj) == before
        assert self.model.objects.count() == 1

    @pytest.mark.parametrize("method", ["create", "patch", "put", "delete"], ids=str)
    def test_a_role_without_the_permission_gets_403_and_nothing_changes(
        self, method, member, api_client
    ) -> None:
        reader = member(self.read_only_role)
        obj = self.make(reader.workspace)
        before = row_state(obj)
        response = self.send(api_client(reader), method, obj)
        assert response.status_code == 403
        assert response.json()["error"]["code"] == "permission_denied"
        assert row_state(obj) == before
        assert self.model.objects.count() == 1

    @pytest.mark.parametrize("method", ["retrieve", "patch", "put", "delete"], ids=str)
    def test_another_workspaces_row_is_404_and_unchanged(
        self, method, admin, other_workspace, api_client
    ) -> None:
        foreign = self.make(other_workspace)
        before = row_state(foreign)
        response = self.send(api_client(admin), method, foreign)
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "not_found"
        assert row_state(foreign) == before

    def send(self, client: APIClient, method: str, obj: Model):
        detail = self.detail_url(obj)
        requests = {
            "list": lambda: client.get(self.list_url()),
            "retrieve": lambda: client.get(detail),
            "create": lambda: client.post(self.list_url(), self.create_payload(), format="json"),
            "patch": lambda: client.patch(detail, self.update_payload(), format="json"),
            "put": lambda: client.put(detail, self.create_payload(), format="json"),
            "delete": lambda: client.delete(detail),
        }
        return requests[method]()


class APIConcurrencyTests(APITestMixin):
    @pytest.mark.parametrize("method", ["patch", "put", "delete"], ids=str)
    def test_a_stale_etag_gets_412_and_nothing_changes(self, method, admin, api_client) -> None:
        # given a row that changed since the client read it
        obj = self.make(admin.workspace)
        client = api_client(admin)
        stale = client.get(self.detail_url(obj))["ETag"]
        client.patch(self.detail_url(obj), self.update_payload(), format="json")
        before = row_state(obj)
        # when the client writes with its old ETag
        body = self.create_payload() if method == "put" else self.update_payload()
        response = getattr(client, method)(
            self.detail_url(obj), body, format="json", HTTP_IF_MATCH=stale
        )
        # then
        assert response.status_code == 412
        assert response.json()["error"]["code"] == "precondition_failed"
        assert row_state(obj) == before

    def test_the_current_etag_is_accepted(self, admin, api_client) -> None:
        obj = self.make(admin.workspace)
        client = api_client(admin)
        current = client.get(self.detail_url(obj))["ETag"]
        response = client.patch(
            self.detail_url(obj), self.update_payload(), format="json", HTTP_IF_MATCH=current
        )
        assert response.status_code == 200
        assert response["ETag"] != current


class APIQueryCountTests(APITestMixin):
    def test_list_runs_the_same_number_of_queries_for_1_and_50_rows(
        self, admin, member, api_client
    ) -> None:
        client = api_client(admin)
        owner = member(Role.SALES).user
        self.make_rich(admin.workspace, owner=owner)
        client.get(self.list_url())  # warm the session and caches
        with CaptureQueriesContext(connection) as one:
            assert client.get(self.list_url()).status_code == 200
        for _ in range(LIST_QUERY_SAMPLE - 1):
            self.make_rich(admin.workspace, owner=owner)
        with CaptureQueriesContext(connection) as many:
            response = client.get(self.list_url())
        assert len(response.json()["results"]) == LIST_QUERY_SAMPLE
        assert len(many) == len(one), [q["sql"] for q in many.captured_queries]


class APIViewTestCases(APICrudTests, APIPermissionTests, APIConcurrencyTests, APIQueryCountTests):
    """Everything a workspace record's API must pass; inherit it and fill in the blanks."""
