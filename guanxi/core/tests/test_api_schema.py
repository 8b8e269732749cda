"""Schemathesis over the whole OpenAPI document: generated requests, valid and invalid, never
cause a server error and every response matches the schema (status, content type, body)."""

from __future__ import annotations

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from guanxi.companies.tests.factories import CompanyFactory
from guanxi.contacts.tests.factories import ContactFactory
from guanxi.core.services import tags_by_name
from guanxi.users.services import api_token_create
from guanxi.wsgi import application

pytestmark = pytest.mark.django_db

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture(autouse=True)
def keep_the_test_connection():
    """Requests go through the raw WSGI app, whose request signals would close the test's
    connection inside its transaction (PostgreSQL); Django's test client detaches them too."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def token_key(admin) -> str:
    """An admin's API token in a workspace with a few rows of each kind."""
    workspace = admin.workspace
    companies = [CompanyFactory(workspace=workspace, owner=admin.user) for _ in range(3)]
    for index in range(4):
        contact = ContactFactory(
            workspace=workspace, company=companies[index % 3] if index else None
        )
        contact.tags.set(tags_by_name(workspace=workspace, names=["VIP"]))
    return api_token_create(user=admin.user, workspace=workspace, name="schemathesis")[1]


# loaded at collection (the schema view needs no database); schemathesis' from_fixture
# does not work with pytest 9 yet
schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", application)


@schema.parametrize()
@settings(
    max_examples=15,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_answers_within_its_schema(case, token_key):
    case.call_and_validate(headers={"Authorization": f"Token {token_key}"}, checks=CHECKS)


def test_the_schema_and_swagger_ui_are_served_without_a_cdn(client):
    schema_response = client.get("/api/v1/schema/")
    docs = client.get("/api/v1/docs/").content.decode()
    assert schema_response.status_code == 200
    assert b"/api/v1/contacts/{id}/" in schema_response.content
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in docs
    assert "cdn" not in docs.lower()
