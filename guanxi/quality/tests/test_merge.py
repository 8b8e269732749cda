"""records_merge: values per field, every related row moved, history, redirects, one audit event."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from guanxi.audit.choices import AuditAction
from guanxi.audit.models import AuditEvent
from guanxi.companies.models import Company, CompanyAlias
from guanxi.companies.services import company_aliases_set
from guanxi.companies.tests.factories import CompanyFactory
from guanxi.contacts.models import Contact
from guanxi.contacts.tests.factories import ContactFactory
from guanxi.core.errors import ApplicationError
from guanxi.core.services import tags_by_name
from guanxi.quality.choices import CandidateStatus, RecordType
from guanxi.quality.merge import register_merge_handler
from guanxi.quality.models import DuplicateCandidate, MergedRecord
from guanxi.quality.selectors import merged_survivor_id
from guanxi.quality.services import records_merge

pytestmark = pytest.mark.django_db


def merge(workspace, survivor, *duplicates, choices=None, actor=None):
    return records_merge(
        workspace=workspace,
        survivor=survivor,
        duplicates=list(duplicates),
        field_choices=choices or {},
        actor=actor,
    )


def test_chosen_values_win_and_empty_survivor_fields_are_filled(workspace, admin):
    # given a survivor without email and a duplicate with a different name and an email
    survivor = ContactFactory(workspace=workspace, name="张伟", email="", job_title="")
    duplicate = ContactFactory(
        workspace=workspace, name="张 伟", email="zw@example.com", job_title="经理", city="上海"
    )
    duplicate_mobile = duplicate.mobile
    # when merging, choosing the duplicate's mobile (unique: possible only once it is gone)
    merged = merge(
        workspace, survivor, duplicate, choices={"mobile": duplicate.pk}, actor=admin.user
    )
    # then the chosen and the only non-empty values are the survivor's
    merged.refresh_from_db()
    assert merged.name == "张伟"
    assert merged.mobile == duplicate_mobile
    assert merged.email == "zw@example.com"
    assert (merged.job_title, merged.city) == ("经理", "上海")
    assert not Contact.objects.filter(pk=duplicate.pk).exists()


def test_custom_fields_are_chosen_per_key(workspace):
    survivor = ContactFactory(workspace=workspace, custom_fields={"level": "A", "hobby": ""})
    duplicate = ContactFactory(workspace=workspace, custom_fields={"level": "B", "hobby": "golf"})
    merged = merge(workspace, survivor, duplicate, choices={"custom_fields.level": duplicate.pk})
    merged.refresh_from_db()
    assert merged.custom_fields == {"level": "B", "hobby": "golf"}


def test_tags_are_united_and_contacts_of_a_company_move(workspace):
    # given two companies, each with a contact, tags, an alias
    survivor = CompanyFactory(workspace=workspace, name="上海关系科技有限公司")
    duplicate = CompanyFactory(workspace=workspace, name="上海关系科技", short_name="关系")
    survivor.tags.set(tags_by_name(workspace=workspace, names=["VIP"]))
    duplicate.tags.set(tags_by_name(workspace=workspace, names=["VIP", "华东"]))
    company_aliases_set(company=duplicate, aliases="Guanxi Tech")
    staff = ContactFactory(workspace=workspace, company=duplicate)
    own = ContactFactory(workspace=workspace, company=survivor)
    # when merging
    merge(workspace, survivor, duplicate)
    # then the contact works at the survivor, tags are united, names become aliases
    staff.refresh_from_db()
    own.refresh_from_db()
    assert staff.company_id == survivor.pk and own.company_id == survivor.pk
    assert sorted(t.name for t in survivor.tags.all()) == ["VIP", "华东"]
    assert sorted(CompanyAlias.objects.filter(company=survivor).values_list("name", flat=True)) == [
        "Guanxi Tech",
        "上海关系科技",
        "关系",
    ]
    assert not Company.objects.filter(pk=duplicate.pk).exists()


def test_every_related_model_is_covered_generically(workspace):
    # given every reverse relation of Contact (whatever apps are installed): none is skipped
    survivor, duplicate = ContactFactory(workspace=workspace), ContactFactory(workspace=workspace)
    relations = [r.related_model for r in Contact._meta.related_objects]
    merge(workspace, survivor, duplicate)
    for related in relations:
        for relation in Contact._meta.related_objects:
            if relation.related_model is related and not relation.many_to_many:
                field = relation.field.name
                assert not related._base_manager.filter(**{field: duplicate.pk}).exists()


def test_merged_record_keeps_a_snapshot_and_old_ids_follow_chains(workspace, admin):
    a, b, c = (ContactFactory(workspace=workspace) for _ in range(3))
    merge(workspace, b, c, actor=admin.user)
    merge(workspace, a, b, actor=admin.user)
    row = MergedRecord.objects.get(old_id=c.pk)
    assert row.survivor_id == a.pk  # flattened to the last survivor
    assert row.merged_by == admin.user
    assert row.snapshot["repr"] == c.name
    # personal data stays encrypted in the snapshot
    assert c.mobile not in str(row.snapshot)
    assert row.snapshot["encrypted"] == ["email", "mobile"]
    assert (
        merged_survivor_id(workspace=workspace, record_type=RecordType.CONTACT, old_id=c.pk) == a.pk
    )


def test_one_merge_audit_event_on_the_survivor(workspace, admin):
    survivor = ContactFactory(workspace=workspace, job_title="")
    duplicate = ContactFactory(workspace=workspace, job_title="销售总监")
    before = AuditEvent.objects.count()
    merge(workspace, survivor, duplicate, actor=admin.user)
    events = list(AuditEvent.objects.order_by("created_at")[before:])
    assert len(events) == 1
    event = events[0]
    assert (event.action, event.object_id) == (AuditAction.MERGE, str(survivor.pk))
    assert event.changes["job_title"] == ["", "销售总监"]
    assert event.changes["merged_records"][1] == [f"{duplicate.name} ({duplicate.pk})"]


def test_candidates_of_the_pair_become_merged_and_others_go(workspace):
    a, b, c = (ContactFactory(workspace=workspace) for _ in range(3))
    pair = DuplicateCandidate.objects.create(
        workspace=workspace, record_type=RecordType.CONTACT, a_id=a.pk, b_id=b.pk, score=90
    )
    other = DuplicateCandidate.objects.create(
        workspace=workspace, record_type=RecordType.CONTACT, a_id=b.pk, b_id=c.pk, score=85
    )
    merge(workspace, a, b)
    pair.refresh_from_db()
    assert pair.status == CandidateStatus.MERGED
    assert not DuplicateCandidate.objects.filter(pk=other.pk).exists()


def test_a_failing_handler_rolls_everything_back(workspace):
    # given a handler for a related model that fails half-way
    survivor = CompanyFactory(workspace=workspace, name="甲公司")
    duplicate = CompanyFactory(workspace=workspace, name="乙公司")
    staff = ContactFactory(workspace=workspace, company=duplicate)

    def broken(survivor, duplicate, actor):
        raise ApplicationError("boom", code="boom")

    from guanxi.quality import merge as registry

    saved = registry.merge_handler_for(CompanyAlias)
    register_merge_handler(CompanyAlias, broken)
    try:
        with pytest.raises(ApplicationError):
            merge(workspace, survivor, duplicate)
    finally:
        register_merge_handler(CompanyAlias, saved)
    # then nothing changed
    staff.refresh_from_db()
    assert staff.company_id == duplicate.pk
    assert Company.objects.filter(pk=duplicate.pk).exists()
    assert not MergedRecord.objects.exists()


@pytest.mark.parametrize(
    ("case", "code"),
    [
        ("self", "merge_self"),
        ("nothing", "merge_nothing"),
        ("foreign", "not_found"),
        ("mixed", "merge_mixed"),
    ],
    ids=str,
)
def test_hostile_merges_are_refused(case, code, workspace, other_workspace):
    own = ContactFactory(workspace=workspace)
    duplicates = {
        "self": lambda: [own],
        "nothing": lambda: [],
        "foreign": lambda: [ContactFactory(workspace=other_workspace)],
        "mixed": lambda: [CompanyFactory(workspace=workspace)],
    }[case]()
    with pytest.raises(ApplicationError) as caught:
        merge(workspace, own, *duplicates)
    assert caught.value.code == code
    # and nothing was deleted, here or there
    assert Contact.objects.filter(pk=own.pk).exists()
    assert all(type(d).objects.filter(pk=d.pk).exists() for d in duplicates)


@pytest.mark.parametrize(
    "choices",
    [{"workspace": "x"}, {"id": "x"}, {"name": "not-a-record"}, {"mobile_index": "x"}],
    ids=["workspace", "id", "unknown-source", "derived-field"],
)
def test_bad_field_choices_are_a_validation_error(choices, workspace):
    survivor, duplicate = ContactFactory(workspace=workspace), ContactFactory(workspace=workspace)
    with pytest.raises(ValidationError):
        merge(workspace, survivor, duplicate, choices=choices)
    assert Contact.objects.filter(pk=duplicate.pk).exists()


def test_a_choice_pointing_at_another_workspaces_record_is_refused(workspace, other_workspace):
    survivor, duplicate = ContactFactory(workspace=workspace), ContactFactory(workspace=workspace)
    foreign = ContactFactory(workspace=other_workspace)
    with pytest.raises(ValidationError):
        merge(workspace, survivor, duplicate, choices={"name": foreign.pk})


def test_three_records_merge_at_once(workspace):
    a, b, c = (ContactFactory(workspace=workspace, job_title="") for _ in range(3))
    Contact.objects.filter(pk=c.pk).update(job_title="CTO")
    c.refresh_from_db()
    merge(workspace, a, b, c)
    a.refresh_from_db()
    assert a.job_title == "CTO"
    assert Contact.objects.filter(workspace=workspace).count() == 1
