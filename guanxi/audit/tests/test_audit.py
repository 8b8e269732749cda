"""Every write path leaves exactly one audit event per changed record, with the right source,
actor, request id and masked before → after diff: proven on seeded random change sequences.

Paths: the API, the web UI, jobs (services inside audit_context), bulk actions and the admin.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

import pytest
from django.test import RequestFactory
from django.urls import reverse

from guanxi.audit.choices import AuditAction, AuditSource
from guanxi.audit.context import audit_context
from guanxi.audit.models import AuditEvent
from guanxi.companies.choices import LifecycleStage
from guanxi.companies.tests.factories import CompanyFactory
from guanxi.contacts.admin import ContactAdmin
from guanxi.contacts.models import Contact
from guanxi.contacts.services import contact_create, contact_delete, contact_update
from guanxi.contacts.tests.factories import ContactFactory
from guanxi.core.bulk import records_bulk_assign_owner, records_bulk_delete, records_bulk_tag
from guanxi.core.pii import mask_email, mask_mobile
from guanxi.core.services import tags_by_name
from guanxi.core.testing import token_client
from guanxi.workspaces.choices import Role

pytestmark = pytest.mark.django_db

SEED = 20240611
STEPS = 6
TAG_POOL = ["VIP", "华东", "华南", "重点客户", "新客"]
MASKS = {"mobile": mask_mobile, "email": mask_email}


# --- random changes and the diff they must produce ---------------------------------------------
def random_change(rng: random.Random, step: int, *, with_tags: bool = True) -> dict[str, Any]:
    """A name change (so something always changes) plus up to three other fields."""
    pool: dict[str, Callable[[], Any]] = {
        "job_title": lambda: rng.choice(["销售总监", "采购经理", "CEO", ""]),
        "city": lambda: rng.choice(["北京", "上海", "广州", "成都", ""]),
        "mobile": lambda: f"15{step:02d}{rng.randint(0, 9_999_999):07d}",
        "email": lambda: f"p{step}.{rng.randint(0, 999)}@example.com",
        "lifecycle_stage": lambda: rng.choice(LifecycleStage.values),
    }
    if with_tags:
        pool["tags"] = lambda: sorted(rng.sample(TAG_POOL, k=rng.randint(0, 3)))
    chosen = rng.sample(sorted(pool), k=rng.randint(0, 3))
    return {"name": f"{rng.choice('赵钱孙李周吴郑王')}客户{step}", **{f: pool[f]() for f in chosen}}


def current(contact: Contact, field: str) -> Any:
    if field == "tags":
        return sorted(tag.name for tag in contact.tags.all())
    return getattr(contact, field)


def expected_diff(contact: Contact, change: dict[str, Any]) -> dict[str, list]:
    diff = {}
    for field, new in change.items():
        old = current(contact, field)
        if old == new or (not old and not new):
            continue
        mask = MASKS.get(field, lambda v: v)
        diff[field] = [mask(old) if old else old, mask(new) if new else new]
    return diff


def events_of(obj) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(object_id=str(obj.pk)).order_by("created_at", "id"))


def assert_one_new_event(obj, before: list[AuditEvent], **expected: Any) -> AuditEvent:
    new = [e for e in events_of(obj) if e.pk not in {b.pk for b in before}]
    assert len(new) == 1, [(e.action, e.changes) for e in new]
    event = new[0]
    assert {name: getattr(event, name) for name in expected} == expected
    return event


# --- each path applies one change to one contact ---------------------------------------------
@pytest.fixture
def owner_member(member):
    return member(Role.ADMIN)


def apply_via_api(contact, change, *, actor_member, request_id):
    client = token_client(actor_member)
    response = client.patch(
        reverse("api:contact-detail", args=[contact.pk]),
        change,
        format="json",
        HTTP_X_REQUEST_ID=request_id,
    )
    assert response.status_code == 200, response.json()
    assert response["X-Request-ID"] == request_id
    return AuditSource.API


def apply_via_job(contact, change, *, actor_member, request_id):
    with audit_context(source=AuditSource.JOB, actor=actor_member.user, request_id=request_id):
        contact_update(contact=contact, actor=actor_member.user, data=change)
    return AuditSource.JOB


def form_data(form) -> dict[str, Any]:
    """What a browser would post back for an unchanged form."""
    data = {}
    for bound in form:
        value = bound.value()
        data[bound.html_name] = "" if value is None else value
    return data


def ui_client(membership):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_login(membership.user)
    session = client.session
    session["workspace_id"] = str(membership.workspace_id)
    session.save()
    return client


def request_for(membership):
    request = RequestFactory().get("/")
    request.user, request.membership, request.workspace = (
        membership.user,
        membership,
        membership.workspace,
    )
    return request


def apply_via_ui(contact, change, *, actor_member, request_id):
    from guanxi.contacts.forms import ContactForm

    data = form_data(ContactForm(instance=contact, request=request_for(actor_member)))
    data.update({k: ", ".join(v) if k == "tags" else v for k, v in change.items()})
    response = ui_client(actor_member).post(
        reverse("contacts:edit", args=[contact.pk]), data, HTTP_X_REQUEST_ID=request_id
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response["X-Request-ID"] == request_id
    return AuditSource.UI


def apply_via_admin(contact, change, *, actor_member, request_id):
    superuser = actor_member.user
    request = RequestFactory().get("/")
    request.user = superuser
    from django.contrib import admin

    form_class = ContactAdmin(Contact, admin.site).get_form(request, contact)
    data = form_data(form_class(instance=contact))
    data.update(change)
    data["_save"] = "Save"
    client = ui_client(actor_member)
    response = client.post(
        reverse("admin:contacts_contact_change", args=[contact.pk]),
        data,
        HTTP_X_REQUEST_ID=request_id,
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    return AuditSource.ADMIN


PATHS = {
    "api": (apply_via_api, True),
    "job": (apply_via_job, True),
    "ui": (apply_via_ui, True),
    "admin": (apply_via_admin, False),  # the admin form has no tags
}


@pytest.mark.parametrize("path", list(PATHS), ids=str)
def test_random_updates_write_one_masked_event_each(path, owner_member, workspace):
    apply, with_tags = PATHS[path]
    if path == "admin":
        owner_member.user.is_staff = owner_member.user.is_superuser = True
        owner_member.user.save()
    rng = random.Random(f"{SEED}-{path}")
    contact = ContactFactory(workspace=workspace, owner=owner_member.user, mobile="13800138000")
    contact.tags.set(tags_by_name(workspace=workspace, names=["VIP"]))
    for step in range(STEPS):
        contact = Contact.objects.get(pk=contact.pk)
        change = random_change(rng, step, with_tags=with_tags)
        diff = expected_diff(contact, change)
        before = events_of(contact)
        request_id = f"{path}-{step}"
        source = apply(contact, change, actor_member=owner_member, request_id=request_id)
        assert_one_new_event(
            contact,
            before,
            action=AuditAction.UPDATE,
            source=source,
            actor_id=owner_member.user_id,
            request_id=request_id,
            workspace_id=workspace.pk,
            changes=diff,
        )


def test_no_plaintext_mobile_or_email_is_stored_in_any_event(owner_member, workspace):
    contact = ContactFactory(
        workspace=workspace, mobile="13800138000", email="secret.person@example.com"
    )
    apply_via_job(
        contact,
        {"mobile": "13900139000", "email": "other.person@example.com"},
        actor_member=owner_member,
        request_id="r",
    )
    stored = str(list(AuditEvent.objects.values_list("changes", flat=True)))
    for plain in ("13800138000", "13900139000", "secret.person", "other.person"):
        assert plain not in stored


# --- create and delete through each path ---------------------------------------------------
def test_api_create_with_tags_is_one_event_with_the_tags_folded_in(owner_member):
    client = token_client(owner_member)
    response = client.post(
        reverse("api:contact-list"),
        {"name": "孙丽", "mobile": "13700137000", "tags": ["VIP", "华东"]},
        format="json",
        HTTP_X_REQUEST_ID="create-1",
    )
    assert response.status_code == 201
    contact = Contact.objects.get(pk=response.json()["id"])
    event = assert_one_new_event(
        contact,
        [],
        action=AuditAction.CREATE,
        source=AuditSource.API,
        actor_id=owner_member.user_id,
        request_id="create-1",
    )
    assert event.changes["name"] == [None, "孙丽"]
    assert event.changes["mobile"] == [None, "137****7000"]
    assert event.changes["tags"] == [[], ["VIP", "华东"]]
    assert event.changes["owner"] == [None, str(owner_member.user_id)]


def test_ui_create_is_one_event_from_the_ui(owner_member):
    response = ui_client(owner_member).post(
        reverse("contacts:create"),
        {
            "name": "周杰",
            "mobile": "13600136000",
            "tags": "VIP",
            "lifecycle_stage": "lead",
            "customer_type": "prospect",
            "country": "中国",
        },
        HTTP_X_REQUEST_ID="ui-create",
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    contact = Contact.objects.get(name="周杰")
    event = assert_one_new_event(
        contact,
        [],
        action=AuditAction.CREATE,
        source=AuditSource.UI,
        actor_id=owner_member.user_id,
        request_id="ui-create",
    )
    assert event.changes["tags"] == [[], ["VIP"]]


def test_job_create_is_one_event_from_the_job(owner_member, workspace):
    with audit_context(source=AuditSource.JOB, request_id="job-create"):
        contact = contact_create(
            workspace=workspace, actor=None, name="吴用", email="wu@example.com", tags=["新客"]
        )
    event = assert_one_new_event(
        contact,
        [],
        action=AuditAction.CREATE,
        source=AuditSource.JOB,
        actor_id=None,
        request_id="job-create",
    )
    assert event.changes["email"] == [None, "w***@example.com"]
    assert event.changes["tags"] == [[], ["新客"]]


DELETES = {
    "api": lambda c, m: token_client(m).delete(
        reverse("api:contact-detail", args=[c.pk]), HTTP_X_REQUEST_ID="del"
    ),
    "ui": lambda c, m: ui_client(m).post(
        reverse("contacts:delete", args=[c.pk]), HTTP_X_REQUEST_ID="del"
    ),
    "admin": lambda c, m: ui_client(m).post(
        reverse("admin:contacts_contact_delete", args=[c.pk]),
        {"post": "yes"},
        HTTP_X_REQUEST_ID="del",
    ),
}


@pytest.mark.parametrize("path", list(DELETES), ids=str)
def test_delete_is_one_event_with_the_masked_last_values(path, owner_member, workspace):
    owner_member.user.is_staff = owner_member.user.is_superuser = True
    owner_member.user.save()
    contact = ContactFactory(workspace=workspace, name="郑和", mobile="13500135000")
    response = DELETES[path](contact, owner_member)
    assert response.status_code in (204, 302)
    assert not Contact.objects.filter(pk=contact.pk).exists()
    event = assert_one_new_event(
        contact,
        events_of(contact)[:1],  # the create event
        action=AuditAction.DELETE,
        source=AuditSource(path),
        actor_id=owner_member.user_id,
        request_id="del",
    )
    assert event.changes["name"] == ["郑和", None]
    assert event.changes["mobile"] == ["135****5000", None]


def test_job_delete_is_one_event(owner_member, workspace):
    contact = ContactFactory(workspace=workspace)
    created = events_of(contact)
    pk = contact.pk
    with audit_context(source=AuditSource.JOB, actor=owner_member.user, request_id="jd"):
        contact_delete(contact=contact, actor=owner_member.user)
    assert_one_new_event(
        Contact(pk=pk), created, action=AuditAction.DELETE, source=AuditSource.JOB, request_id="jd"
    )


# --- bulk actions -----------------------------------------------------------------------------
def test_random_bulk_actions_write_one_event_per_changed_record(workspace, member):
    rng = random.Random(f"{SEED}-bulk")
    people = [member(Role.SALES).user for _ in range(3)]
    for _ in range(8):
        ContactFactory(workspace=workspace, owner=rng.choice(people))
    tags = tags_by_name(workspace=workspace, names=TAG_POOL)
    actor = people[0]
    for step in range(STEPS * 2):
        alive = list(Contact.objects.filter(workspace=workspace).prefetch_related("tags"))
        if not alive:
            break
        chosen = rng.sample(alive, k=rng.randint(1, len(alive)))
        operation = rng.choice(
            ["owner", "tag", "untag", "delete"] if step > 4 else ["owner", "tag", "untag"]
        )
        before = {c.pk: (c.owner_id, sorted(t.name for t in c.tags.all())) for c in chosen}
        counts = {c.pk: len(events_of(c)) for c in chosen}
        request_id = f"bulk-{step}"
        with audit_context(source=AuditSource.UI, actor=actor, request_id=request_id):
            if operation == "owner":
                new_owner = rng.choice([*people, None])
                records_bulk_assign_owner(records=chosen, owner=new_owner)
                expected = {
                    pk: {"owner": [str(o) if o else None, str(new_owner.pk) if new_owner else None]}
                    for pk, (o, _t) in before.items()
                    if o != (new_owner.pk if new_owner else None)
                }
            elif operation in ("tag", "untag"):
                picked = rng.sample(tags, k=rng.randint(1, 2))
                names = {t.name for t in picked}
                records_bulk_tag(records=chosen, tags=picked, remove=operation == "untag")
                expected = {}
                for pk, (_o, had) in before.items():
                    after = sorted(set(had) - names if operation == "untag" else set(had) | names)
                    if after != had:
                        expected[pk] = {"tags": [had, after]}
            else:
                records_bulk_delete(records=chosen)
                expected = {c.pk: {"name": [c.name, None]} for c in chosen}
        for contact in chosen:
            new = events_of(contact)[counts[contact.pk] :]
            if contact.pk not in expected:
                assert new == []
                continue
            assert len(new) == 1, (operation, [e.changes for e in new])
            event = new[0]
            assert (event.source, event.actor_id, event.request_id) == (
                AuditSource.UI,
                actor.pk,
                request_id,
            )
            assert event.action == (
                AuditAction.DELETE if operation == "delete" else AuditAction.UPDATE
            )
            assert event.changes == expected[contact.pk]


def test_a_change_without_any_context_is_recorded_as_system(workspace):
    company = CompanyFactory(workspace=workspace)
    company.city = "西安"
    company.save()
    event = events_of(company)[-1]
    assert (event.source, event.action, event.changes) == (
        AuditSource.SYSTEM,
        AuditAction.UPDATE,
        {"city": ["", "西安"]},
    )


def test_a_user_who_is_not_a_superuser_cannot_enter_the_admin(owner_member):
    response = ui_client(owner_member).get(reverse("admin:contacts_contact_changelist"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
