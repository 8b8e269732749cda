"""GET /healthz: 200 when database, migrations and job queue are fine, 503 when one is not."""

from __future__ import annotations

import pytest
from huey.contrib.djhuey import HUEY

from guanxi.core import health

pytestmark = pytest.mark.django_db
URL = "/healthz"


def test_healthz_is_ok_when_every_check_passes(client):
    # when
    response = client.get(URL)

    # then
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "migrations": "ok",
        "job_queue": "ok",
    }
    assert "no-cache" in response["Cache-Control"]


def raise_connection_error() -> str:
    raise ConnectionError("redis://:secret@10.0.0.5:6379 refused")


@pytest.mark.parametrize("failing", ["database", "job_queue"], ids=["database", "job-queue"])
def test_healthz_is_503_when_a_check_fails_without_leaking_details(client, monkeypatch, failing):
    # given
    monkeypatch.setitem(health.CHECKS, failing, raise_connection_error)

    # when
    response = client.get(URL)

    # then
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body[failing] == "error: ConnectionError"
    assert "secret" not in response.content.decode()
    assert {name: value for name, value in body.items() if name not in (failing, "status")} == {
        name: "ok" for name in health.CHECKS if name != failing
    }


def test_healthz_is_503_when_the_job_queue_storage_is_down(client, monkeypatch):
    # given: the real check, with the queue's storage refusing connections
    monkeypatch.setattr(HUEY, "pending_count", raise_connection_error)

    # when
    response = client.get(URL)

    # then
    assert response.status_code == 503
    assert response.json()["job_queue"] == "error: ConnectionError"


def test_healthz_is_503_when_migrations_are_pending(client, monkeypatch):
    monkeypatch.setitem(health.CHECKS, "migrations", lambda: "2 pending")
    response = client.get(URL)
    assert response.status_code == 503
    assert response.json()["migrations"] == "2 pending"


def test_healthz_needs_no_login_and_refuses_writes(client):
    assert client.get(URL).status_code == 200
    assert client.post(URL).status_code in (200, 405)
