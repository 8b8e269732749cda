"""Reusable web UI test mixins: every model's page tests inherit login, role, tenancy, audit and
query-count checks instead of rewriting them (the UI twin of core/testing.py).

A test class sets `namespace` and `model`, and implements `make(workspace, **kwargs)`,
`create_data()` and `update_data(obj)` (form POST bodies); conftest.py fixtures do the rest.
"""

from __future__ import annotations

from typing import Any, ClassVar

import pytest
from django.db import connection
from django.db.models import Model
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from guanxi.audit.models import AuditEvent
from guanxi.core.testing import RecordTestMixin, row_state
from guanxi.workspaces.choices import Role

LIST_QUERY_SAMPLE = 50
OBJECT_PAGES = ("detail", "edit", "delete")


def ui_client(membership) -> Client:
    """A browser-like test client logged in as this member, in that member's workspace."""
    client = Client()
    client.force_login(membership.user)
    session = client.session
    session["workspace_id"] = str(membership.workspace_id)
    session.save()
    return client


def audit_events_of(obj: Model, *, source: str = "ui") -> list[AuditEvent]:
    """The record's events from one source (factories write `system` events of their own)."""
    return list(
        AuditEvent.objects.filter(object_id=str(obj.pk), source=source).order_by("created_at")
    )


class ViewTestMixin(RecordTestMixin):
    namespace: ClassVar[str]

    def create_data(self) -> dict[str, Any]:
        raise NotImplementedError

    def update_data(self, obj: Model) -> dict[str, Any]:
        raise NotImplementedError

    def url(self, name: str, obj: Model | None = None) -> str:
        args = [obj.pk] if obj is not None else []
        return reverse(f"{self.namespace}:{name}", args=args)


class ViewAccessTests(ViewTestMixin):
    @pytest.mark.parametrize("page", ["list", "create", *OBJECT_PAGES], ids=str)
    def test_anonymous_is_sent_to_the_login_page(self, page, workspace) -> None:
        obj = self.make(workspace)
        url = self.url(page, obj if page in OBJECT_PAGES else None)
        response = Client().get(url)
        assert response.status_code == 302
        assert response["Location"] == f"{reverse('login')}?next={url}"

    def test_anonymous_htmx_request_is_redirected_by_htmx(self, workspace) -> None:
        response = Client().get(self.url("list"), HTTP_HX_REQUEST="true")
        assert response.status_code == 200
        assert response["HX-Redirect"].startswith(reverse("login"))

    def test_a_user_without_workspace_gets_a_friendly_page(self, db) -> None:
        from guanxi.users.tests.factories import UserFactory

        client = Client()
        client.force_login(UserFactory())
        response = client.get(self.url("list"))
        assert response.status_code == 403
        assert "core/no_workspace.html" in [t.name for t in response.templates]

    @pytest.mark.parametrize("page", ["create", "edit", "delete"], ids=str)
    def test_a_read_only_role_gets_403_and_nothing_changes(self, page, member) -> None:
        reader = member(self.read_only_role)
        obj = self.make(reader.workspace)
        before = row_state(obj)
        client = ui_client(reader)
        url = self.url(page, obj if page in OBJECT_PAGES else None)
        data = self.create_data() if page == "create" else self.update_data(obj)
        # then both the page and the write are refused
        assert client.get(url).status_code == 403
        response = client.post(url, data)
        assert response.status_code == 403
        assert "core/forbidden.html" in [t.name for t in response.templates]
        assert row_state(obj) == before
        assert self.model.objects.count() == 1
        assert not AuditEvent.objects.filter(source="ui").exists()

    @pytest.mark.parametrize("page", OBJECT_PAGES, ids=str)
    def test_another_workspaces_record_is_404_and_unchanged(
        self, page, admin, other_workspace
    ) -> None:
        foreign = self.make(other_workspace)
        before = row_state(foreign)
        client = ui_client(admin)
        assert client.get(self.url(page, foreign)).status_code == 404
        if page != "detail":
            assert (
                client.post(self.url(page, foreign), self.update_data(foreign)).status_code == 404
            )
        assert row_state(foreign) == before

    def test_bulk_delete_skips_another_workspaces_ids(self, admin, other_workspace) -> None:
        foreign = self.make(other_workspace)
        response = ui_client(admin).post(
            self.url("bulk"), {"action": "delete", "pk": [foreign.pk], "confirm": "true"}
        )
        assert response.status_code == 302
        assert self.model.objects.filter(pk=foreign.pk).exists()


class ViewCrudTests(ViewTestMixin):
    def test_create_saves_through_the_service_with_one_audit_event(self, admin) -> None:
        response = ui_client(admin).post(self.url("create"), self.create_data())
        assert response.status_code == 302, response.context and response.context["form"].errors
        created = self.model.objects.get()
        assert response["Location"] == created.get_absolute_url()
        assert created.workspace_id == admin.workspace_id
        events = audit_events_of(created)
        assert [(e.action, e.source, e.actor_id) for e in events] == [
            ("create", "ui", admin.user_id)
        ]

    def test_edit_saves_with_one_audit_event(self, admin) -> None:
        obj = self.make(admin.workspace, owner=admin.user)
        response = ui_client(admin).post(self.url("edit", obj), self.update_data(obj))
        assert response.status_code == 302, response.context and response.context["form"].errors
        assert [(e.action, e.source) for e in audit_events_of(obj)] == [("update", "ui")]

    def test_delete_asks_then_deletes_with_one_audit_event(self, admin) -> None:
        obj = self.make(admin.workspace, owner=admin.user)
        client = ui_client(admin)
        assert client.get(self.url("delete", obj)).status_code == 200
        assert self.model.objects.filter(pk=obj.pk).exists()
        response = client.post(self.url("delete", obj))
        assert response.status_code == 302
        assert response["Location"] == self.url("list")
        assert not self.model.objects.filter(pk=obj.pk).exists()
        assert [(e.action, e.source) for e in audit_events_of(obj)] == [("delete", "ui")]

    def test_detail_shows_the_record_and_its_history(self, admin) -> None:
        client = ui_client(admin)
        client.post(self.url("create"), self.create_data())
        obj = self.model.objects.get()
        response = client.get(self.url("detail", obj))
        assert response.status_code == 200
        assert "audit/partials/_history.html" in [t.name for t in response.templates]
        assert [e.action for e in response.context["history"]] == ["create"]


class ViewListTests(ViewTestMixin):
    def test_list_shows_only_this_workspaces_records(self, admin, other_workspace) -> None:
        mine = self.make(admin.workspace)
        self.make(other_workspace)
        response = ui_client(admin).get(self.url("list"))
        assert response.status_code == 200
        assert [o.pk for o in response.context["object_list"]] == [mine.pk]

    def test_htmx_request_for_the_table_gets_only_the_table(self, admin) -> None:
        self.make(admin.workspace)
        response = ui_client(admin).get(
            self.url("list"), HTTP_HX_REQUEST="true", HTTP_HX_TARGET="object-table"
        )
        assert response.status_code == 200
        body = response.content.decode()
        assert body.lstrip().startswith('<div id="object-table"')
        assert "<html" not in body

    def test_list_runs_the_same_number_of_queries_for_1_and_50_rows(self, admin, member) -> None:
        client = ui_client(admin)
        owner = member(Role.SALES).user
        self.make_rich(admin.workspace, owner=owner)
        client.get(self.url("list"))  # warm the session and caches
        with CaptureQueriesContext(connection) as one:
            assert client.get(self.url("list")).status_code == 200
        for _ in range(LIST_QUERY_SAMPLE - 1):
            self.make_rich(admin.workspace, owner=owner)
        with CaptureQueriesContext(connection) as many:
            response = client.get(self.url("list"))
        assert len(response.context["object_list"]) == LIST_QUERY_SAMPLE
        assert len(many) == len(one), [q["sql"] for q in many.captured_queries]


class ViewTestCases(ViewAccessTests, ViewCrudTests, ViewListTests):
    """Everything a workspace record's pages must pass; inherit it and fill in the blanks."""
