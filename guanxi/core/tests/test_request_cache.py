"""The per-request cache: one read of the custom field definitions per request, fresh after a
write, and nothing kept outside a request."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from guanxi.contacts.tests.factories import ContactFactory
from guanxi.core.request_cache import RequestCacheMiddleware, per_request, request_cache_forget
from guanxi.customfields.tests.factories import CustomFieldDefinitionFactory
from guanxi.customfields.values import definitions_for

DEFINITIONS_TABLE = "customfields_customfielddefinition"


def in_request(work):
    """Runs work() the way a view does, inside the middleware; returns what it returned."""
    seen = []

    def view(_request):
        seen.append(work())
        return None

    RequestCacheMiddleware(view)(RequestFactory().get("/"))
    return seen[0]


def test_outside_a_request_every_call_computes() -> None:
    calls = []
    for _ in range(2):
        per_request(("kind",), lambda: calls.append(1))
    assert len(calls) == 2


def test_inside_a_request_a_key_is_computed_once_until_forgotten() -> None:
    calls = []

    def work():
        for _ in range(3):
            per_request(("kind", 1), lambda: calls.append(1))
        request_cache_forget("kind")
        per_request(("kind", 1), lambda: calls.append(1))
        per_request(("other", 1), lambda: calls.append(1))
        return len(calls)

    assert in_request(work) == 3
    # and the next request starts empty
    assert in_request(lambda: per_request(("kind", 1), lambda: "fresh")) == "fresh"


@pytest.mark.django_db
def test_a_definition_saved_during_the_request_is_seen_at_once(workspace) -> None:
    CustomFieldDefinitionFactory(workspace=workspace, model="contacts.contact", key="a")

    def work():
        before = [d.key for d in definitions_for(workspace, "contacts.contact")]
        CustomFieldDefinitionFactory(workspace=workspace, model="contacts.contact", key="b")
        after = [d.key for d in definitions_for(workspace, "contacts.contact")]
        return before, after

    assert in_request(work) == (["a"], ["a", "b"])


@pytest.mark.django_db
def test_the_contact_api_list_reads_the_definitions_once(admin, api_client) -> None:
    CustomFieldDefinitionFactory(workspace=admin.workspace, model="contacts.contact", key="a")
    CustomFieldDefinitionFactory(
        workspace=admin.workspace, model="contacts.contact", key="old", active=False
    )
    ContactFactory.create_batch(3, workspace=admin.workspace)
    client = api_client(admin)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/api/v1/contacts/?cf_a=x")
    assert response.status_code == 200
    reads = [q for q in queries.captured_queries if f'FROM "{DEFINITIONS_TABLE}"' in q["sql"]]
    assert len(reads) == 1
