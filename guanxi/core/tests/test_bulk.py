"""Bulk actions: one statement per step whatever the number of records, one audit row per
changed record, and nothing done to records that would not change."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from guanxi.audit.choices import AuditAction
from guanxi.audit.models import AuditEvent
from guanxi.contacts.models import Contact
from guanxi.contacts.tests.factories import ContactFactory
from guanxi.core.bulk import records_bulk_assign_owner, records_bulk_delete, records_bulk_tag
from guanxi.core.services import tags_by_name
from guanxi.workspaces.choices import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(member):
    return [member(Role.SALES).user for _ in range(2)]


def contacts(workspace, count, **kwargs):
    return [ContactFactory(workspace=workspace, **kwargs) for _ in range(count)]


def new_events(action):
    return AuditEvent.objects.filter(action=action, object_type="contacts.contact")


def test_assign_owner_changes_only_records_with_another_owner(workspace, people):
    first, second = people
    mine = contacts(workspace, 2, owner=first)
    theirs = contacts(workspace, 3, owner=second)
    AuditEvent.objects.all().delete()
    changed = records_bulk_assign_owner(records=[*mine, *theirs], owner=first)
    assert changed == 3
    assert set(Contact.objects.values_list("owner_id", flat=True)) == {first.pk}
    events = new_events(AuditAction.UPDATE)
    assert sorted(e.object_id for e in events) == sorted(str(c.pk) for c in theirs)
    assert {tuple(e.changes["owner"]) for e in events} == {(str(second.pk), str(first.pk))}


def test_assign_to_nobody_empties_the_owner(workspace, people):
    records = contacts(workspace, 2, owner=people[0])
    assert records_bulk_assign_owner(records=records, owner=None) == 2
    assert list(Contact.objects.values_list("owner_id", flat=True)) == [None, None]


def test_tagging_adds_missing_tags_and_counts_only_changed_records(workspace):
    vip, east = tags_by_name(workspace=workspace, names=["VIP", "华东"])
    tagged, untagged = contacts(workspace, 2)
    tagged.tags.set([vip])
    AuditEvent.objects.all().delete()
    assert records_bulk_tag(records=[tagged, untagged], tags=[vip]) == 1
    assert records_bulk_tag(records=[tagged, untagged], tags=[vip, east]) == 2
    assert sorted(t.name for t in untagged.tags.all()) == ["VIP", "华东"]
    changes = sorted(tuple(map(tuple, e.changes["tags"])) for e in new_events(AuditAction.UPDATE))
    assert changes == [
        ((), ("VIP",)),
        (("VIP",), ("VIP", "华东")),
        (("VIP",), ("VIP", "华东")),
    ]


def test_untagging_removes_only_the_given_tags(workspace):
    vip, east = tags_by_name(workspace=workspace, names=["VIP", "华东"])
    record, bare = contacts(workspace, 2)
    record.tags.set([vip, east])
    assert records_bulk_tag(records=[record, bare], tags=[vip], remove=True) == 1
    assert [t.name for t in record.tags.all()] == ["华东"]


def test_delete_removes_the_records_with_one_event_each(workspace):
    records = contacts(workspace, 3)
    keep = ContactFactory(workspace=workspace)
    assert records_bulk_delete(records=records) == 3
    assert list(Contact.objects.all()) == [keep]
    events = new_events(AuditAction.DELETE)
    assert sorted(e.object_id for e in events) == sorted(str(r.pk) for r in records)


@pytest.mark.parametrize("operation", ["owner", "tag", "untag", "delete"], ids=str)
def test_each_bulk_action_runs_the_same_queries_for_1_and_50_records(operation, workspace, people):
    tags = tags_by_name(workspace=workspace, names=["VIP"])

    def run(records):
        if operation == "owner":
            return records_bulk_assign_owner(records=records, owner=people[1])
        if operation == "untag":
            return records_bulk_tag(records=records, tags=tags, remove=True)
        if operation == "tag":
            return records_bulk_tag(records=records, tags=tags)
        return records_bulk_delete(records=records)

    counts = []
    for size in (1, 50):
        records = contacts(workspace, size, owner=people[0])
        if operation == "untag":
            for record in records:
                record.tags.set(tags)
        with CaptureQueriesContext(connection) as queries:
            assert run(records) == size
        counts.append(len(queries))
    assert counts[0] == counts[1]


@pytest.mark.parametrize(
    "action",
    [
        lambda: records_bulk_assign_owner(records=[], owner=None),
        lambda: records_bulk_tag(records=[], tags=[]),
        lambda: records_bulk_delete(records=[]),
    ],
    ids=["owner", "tag", "delete"],
)
def test_nothing_to_do_is_zero_and_writes_nothing(action):
    assert action() == 0
    assert not AuditEvent.objects.exists()
