"""Bulk audit rows written as value tuples, and skipping snapshots for instances built in bulk."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from guanxi.audit.choices import AuditAction, AuditSource
from guanxi.audit.context import audit_context, snapshots_skipped
from guanxi.audit.models import AuditEvent
from guanxi.audit.recording import record_bulk
from guanxi.contacts.models import Contact
from guanxi.contacts.tests.factories import ContactFactory

pytestmark = pytest.mark.django_db


def test_record_bulk_writes_one_masked_row_per_record_with_the_context(workspace, admin):
    # given
    contacts = ContactFactory.create_batch(3, workspace=workspace, name="<b>x</b>'--")
    AuditEvent.objects.all().delete()

    # when
    with audit_context(source=AuditSource.API, actor=admin.user, request_id="req-1", ip="10.0.0.1"):
        written = record_bulk(
            contacts, AuditAction.UPDATE, lambda c: {"mobile": ["13800138000", c.mobile]}
        )

    # then
    assert written == 3
    events = list(AuditEvent.objects.order_by("object_id"))
    assert [e.object_id for e in events] == sorted(str(c.pk) for c in contacts)
    assert len({e.pk for e in events}) == 3
    for event, contact in zip(events, sorted(contacts, key=lambda c: str(c.pk)), strict=True):
        assert event.workspace_id == workspace.pk
        assert event.actor_id == admin.user.pk
        assert (event.source, event.action) == (AuditSource.API, AuditAction.UPDATE)
        assert (event.request_id, event.ip) == ("req-1", "10.0.0.1")
        assert event.object_type == "contacts.contact"
        assert event.object_repr == "<b>x</b>'--"
        assert event.changes == {
            "mobile": ["138****8000", contact.mobile[:3] + "****" + contact.mobile[-4:]]
        }
        assert event.created_at is not None


def test_record_bulk_of_nothing_runs_no_query():
    with CaptureQueriesContext(connection) as queries:
        assert record_bulk([], AuditAction.DELETE, lambda r: {}) == 0
    assert len(queries) == 0


def test_snapshots_are_skipped_only_inside_the_block(workspace):
    # when
    with snapshots_skipped():
        skipped = Contact(workspace=workspace, name="a")
    taken = Contact(workspace=workspace, name="b")

    # then
    assert not hasattr(skipped, "_audit_snapshot")
    assert taken._audit_snapshot["name"] == "b"
