"""Multi-row INSERTs for bulk loads: same rows as bulk_create, fields still prepare each value."""

from __future__ import annotations

import math

import pytest
from django.db import connection, models
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.translation import gettext_lazy

from guanxi.audit.models import AuditEvent
from guanxi.contacts.models import Contact
from guanxi.contacts.tests.factories import ContactFactory
from guanxi.core.fields import BlindIndexField, EncryptedTextField
from guanxi.core.ids import uuid7
from guanxi.core.inserts import instances_insert, rows_insert, stores_strings_as_they_are
from guanxi.core.models import Tag, TagColour

pytestmark = pytest.mark.django_db
HOSTILE = "'); DROP TABLE contacts_contact; -- <script>alert(1)</script> %s %%"


def tag_fields() -> list[models.Field]:
    names = ("id", "workspace", "name", "colour", "created_at", "updated_at")
    return [Tag._meta.get_field(name) for name in names]


def test_instances_insert_stores_what_a_save_would(workspace):
    # given
    contact = ContactFactory.build(workspace=workspace, name=HOSTILE, mobile="13800138000")

    # when
    instances_insert(Contact, [contact], batch_size=500)

    # then
    stored = Contact.objects.get(pk=contact.pk)
    assert stored.name == HOSTILE
    assert stored.mobile == "13800138000"
    assert stored.mobile_index == contact.mobile_index != ""
    assert stored.created_at is not None
    assert stored.updated_at is not None
    assert contact._state.adding is False
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT mobile FROM contacts_contact WHERE id = %s",
            [Contact._meta.pk.get_db_prep_value(contact.pk, connection)],
        )
        (raw,) = cursor.fetchone()
    assert "13800138000" not in raw


def test_rows_insert_batches_like_bulk_create(workspace):
    # given
    fields = tag_fields()
    now = timezone.now()
    rows = [(uuid7(), workspace.pk, f"t{n}", TagColour.RED, now, now) for n in range(300)]
    expected = math.ceil(300 / min(1000, connection.ops.bulk_batch_size(fields, rows)))

    # when
    with CaptureQueriesContext(connection) as queries:
        rows_insert(Tag, fields, rows, batch_size=1000)

    # then
    assert len(queries) == expected
    assert Tag.objects.filter(workspace=workspace).count() == 300


def test_rows_insert_prepares_lazy_strings_and_runs_nothing_for_no_rows(workspace):
    # given
    fields = tag_fields()
    pk, now = uuid7(), timezone.now()

    # when
    with CaptureQueriesContext(connection) as queries:
        rows_insert(Tag, fields, [], batch_size=10)
    rows_insert(
        Tag,
        fields,
        [(pk, workspace.pk, gettext_lazy("Name"), TagColour.RED, now, now)],
        batch_size=10,
    )

    # then
    assert len(queries) == 0
    assert Tag.objects.get(pk=pk).name == "Name"


def test_rows_insert_keeps_nulls_json_and_hostile_text_in_every_column(workspace, admin):
    # given two rows whose nullable columns are empty in the first and set in the second
    fields = AuditEvent._meta.local_concrete_fields
    changes = {"name": [None, HOSTILE], "tags": [["客户", "VIP"], []], "amount": [1.5, None]}
    now = timezone.now()
    values = [
        {"workspace_id": None, "actor_id": None, "ip": None, "changes": {}},
        {
            "workspace_id": workspace.pk,
            "actor_id": admin.user_id,
            "ip": "10.0.0.1",
            "changes": changes,
        },
    ]
    rows = [
        tuple(
            {
                "id": uuid7(),
                "source": "import",
                "action": "create",
                "object_type": "contacts.contact",
                "object_id": str(n),
                "object_repr": HOSTILE,
                "request_id": "",
                "created_at": now,
                **row,
            }[field.attname]
            for field in fields
        )
        for n, row in enumerate(values)
    ]

    # when
    rows_insert(AuditEvent, fields, rows, batch_size=500)

    # then
    first, second = AuditEvent.objects.filter(object_id__in=["0", "1"]).order_by("object_id")
    assert (first.workspace_id, first.actor_id, first.ip, first.changes) == (None, None, None, {})
    assert (second.workspace_id, second.actor_id, second.ip) == (
        workspace.pk,
        admin.user_id,
        "10.0.0.1",
    )
    assert second.changes == changes
    assert second.object_repr == HOSTILE and second.created_at == now


@pytest.mark.parametrize(
    ("field", "expected"),
    [
        (models.CharField(max_length=10), True),
        (models.TextField(), True),
        (models.URLField(), True),
        (BlindIndexField(source="mobile"), True),
        (EncryptedTextField(), False),
        (models.UUIDField(), False),
        (models.JSONField(), False),
        (AuditEvent._meta.get_field("created_at"), False),
    ],
    ids=["char", "text", "url", "blind-index", "encrypted", "uuid", "json", "datetime"],
)
def test_only_stock_text_fields_skip_preparation(field, expected):
    assert stores_strings_as_they_are(field) is expected
