"""The audit list (administrators only, filters, paging, time zone) and the record history partial."""

from __future__ import annotations

import datetime as dt

import pytest
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse

from guanxi.audit.choices import AuditAction, AuditSource
from guanxi.audit.context import audit_context
from guanxi.audit.models import AuditEvent
from guanxi.audit.selectors import record_history
from guanxi.companies.tests.factories import CompanyFactory
from guanxi.contacts.services import contact_create, contact_delete, contact_update
from guanxi.workspaces.choices import Role
from guanxi.workspaces.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

AUDIT = reverse("audit:list")


def event(workspace, **fields) -> AuditEvent:
    defaults = {
        "source": AuditSource.UI,
        "action": AuditAction.UPDATE,
        "object_type": "contacts.contact",
        "object_id": "1",
        "object_repr": "张伟",
    }
    return AuditEvent.objects.create(workspace=workspace, **{**defaults, **fields})


def listed(response) -> list[AuditEvent]:
    return [row.event for row in response.context["rows"]]


# --- access ---------------------------------------------------------------------------------
def test_anonymous_users_are_sent_to_login():
    assert Client().get(AUDIT)["Location"] == f"{reverse('login')}?next={AUDIT}"


@pytest.mark.parametrize(
    "role", [Role.MANAGER, Role.SALES, Role.MARKETING, Role.SERVICE, Role.VIEWER]
)
def test_only_administrators_see_the_audit_list(member, api_client, role):
    response = api_client(member(role)).get(AUDIT)

    assert response.status_code == 403
    assert "rows" not in response.context


def test_the_list_shows_this_workspace_only_newest_first(admin, other_workspace, api_client):
    AuditEvent.objects.all().delete()  # the members' own creation is logged too
    older = event(admin.workspace, object_repr="older")
    newer = event(admin.workspace, object_repr="newer")
    event(other_workspace, object_repr="foreign")

    response = api_client(admin).get(AUDIT)

    assert response.status_code == 200
    assert listed(response) == [newer, older]
    assert b"foreign" not in response.content


def test_an_empty_log_says_so(admin, api_client):
    AuditEvent.objects.all().delete()

    response = api_client(admin).get(AUDIT)

    assert b"No audit events" in response.content


# --- filters --------------------------------------------------------------------------------
def test_filter_by_user(admin, member, api_client):
    sales = member(Role.SALES)
    mine = event(admin.workspace, actor=admin.user)
    event(admin.workspace, actor=sales.user)

    response = api_client(admin).get(AUDIT, {"actor": str(admin.user.pk)})

    assert listed(response) == [mine]


def test_a_user_of_another_workspace_is_not_a_filter_choice(admin, api_client):
    stranger = MembershipFactory().user
    event(admin.workspace)

    response = api_client(admin).get(AUDIT, {"actor": str(stranger.pk)})

    assert "actor" in response.context["filter_form"].errors


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"object_type": "companies.company"}, ["company"]),
        ({"action": AuditAction.DELETE}, ["deleted"]),
        ({"source": AuditSource.API}, ["by api"]),
        ({"object_type": "nonsense.model"}, []),
    ],
    ids=["object-type", "action", "source", "unknown-type"],
)
def test_filters(admin, api_client, params, expected):
    event(admin.workspace, object_type="companies.company", object_repr="company")
    event(admin.workspace, action=AuditAction.DELETE, object_repr="deleted")
    event(admin.workspace, source=AuditSource.API, object_repr="by api")

    response = api_client(admin).get(AUDIT, params)

    assert [e.object_repr for e in listed(response)] == expected


def test_the_date_range_is_in_the_workspaces_time_zone(admin, api_client):
    # 17:00 UTC on 1 January is 01:00 on 2 January in Shanghai
    late = event(admin.workspace, object_repr="late")
    AuditEvent.objects.filter(pk=late.pk).update(
        created_at=dt.datetime(2026, 1, 1, 17, tzinfo=dt.UTC)
    )
    early = event(admin.workspace, object_repr="early")
    AuditEvent.objects.filter(pk=early.pk).update(
        created_at=dt.datetime(2026, 1, 1, 3, tzinfo=dt.UTC)
    )
    client = api_client(admin)

    second = client.get(AUDIT, {"date_from": "2026-01-02", "date_to": "2026-01-02"})
    first = client.get(AUDIT, {"date_from": "2026-01-01", "date_to": "2026-01-01"})

    assert [e.object_repr for e in listed(second)] == ["late"]
    assert [e.object_repr for e in listed(first)] == ["early"]
    assert "2026-01-02 01:00:00" in second.content.decode()


@pytest.mark.parametrize(
    "params",
    [{"action": "<script>"}, {"date_from": "yesterday"}, {"source": "x" * 5000}],
    ids=["hostile-action", "bad-date", "huge-source"],
)
def test_bad_filter_values_are_form_errors_not_crashes(admin, api_client, params):
    event(admin.workspace)

    response = api_client(admin).get(AUDIT, params)

    assert response.status_code == 200
    assert set(response.context["filter_form"].errors) == set(params)
    assert b"<script>" not in response.content


# --- paging, rows -----------------------------------------------------------------------------
def test_the_list_is_paged_and_the_count_capped(admin, api_client, monkeypatch):
    AuditEvent.objects.bulk_create(
        [
            AuditEvent(
                workspace=admin.workspace,
                source="ui",
                action="update",
                object_type="x.y",
                object_id=str(n),
            )
            for n in range(60)
        ]
    )
    monkeypatch.setattr("guanxi.core.paging.COUNT_CAP", 55)
    client = api_client(admin)

    first = client.get(AUDIT).context["page"]
    second = client.get(AUDIT, {"page": 2}).context["page"]

    assert (len(first.object_list), first.has_next) == (50, True)
    assert (len(second.object_list), second.has_next) == (AuditEvent.objects.count() - 50, False)


def test_the_query_count_does_not_grow_with_rows(admin, api_client, django_assert_max_num_queries):
    company = CompanyFactory(workspace=admin.workspace)
    with audit_context(source=AuditSource.UI, actor=admin.user):
        for n in range(10):
            contact_create(
                workspace=admin.workspace, actor=admin.user, name=f"客户{n}", company=company
            )
    client = api_client(admin)
    client.get(AUDIT)

    with django_assert_max_num_queries(14):
        response = client.get(AUDIT)

    assert len(response.context["rows"]) == 12  # membership, company, 10 contacts


def test_rows_link_existing_objects_and_name_related_records(admin, api_client):
    company = CompanyFactory(workspace=admin.workspace, name="上海示例")
    with audit_context(source=AuditSource.UI, actor=admin.user):
        kept = contact_create(
            workspace=admin.workspace, actor=admin.user, name="留下", company=company
        )
        gone = contact_create(workspace=admin.workspace, actor=admin.user, name="删掉")
        contact_delete(contact=gone, actor=admin.user)

    rows = api_client(admin).get(AUDIT, {"object_type": "contacts.contact"}).context["rows"]

    urls = {(row.event.object_repr, row.event.action): row.object_url for row in rows}
    assert urls[("留下", "create")] == kept.get_absolute_url()
    assert urls[("删掉", "create")] == ""
    kept_row = next(row for row in rows if row.event.object_id == str(kept.pk))
    assert {c.label: c.after for c in kept_row.changes}["Company"] == "上海示例"


# --- the history partial --------------------------------------------------------------------
def test_the_history_partial_shows_changes_newest_first_with_masked_values(admin):
    with audit_context(source=AuditSource.UI, actor=admin.user):
        contact = contact_create(
            workspace=admin.workspace, actor=admin.user, name="张伟", mobile="13800138000"
        )
    with audit_context(source=AuditSource.API, actor=admin.user):
        contact_update(contact=contact, actor=admin.user, data={"mobile": "13912345678"})

    html = render_to_string(
        "audit/partials/_history.html", {"events": record_history(record=contact)}
    )

    assert "13800138000" not in html and "13912345678" not in html
    assert "138****8000" in html and "139****5678" in html
    assert html.index("139****5678") < html.index("张伟")  # the update is listed first
    assert str(admin.user) in html


def test_the_history_partial_escapes_values(admin):
    with audit_context(source=AuditSource.UI, actor=admin.user):
        contact = contact_create(
            workspace=admin.workspace, actor=admin.user, name="<img src=x onerror=alert(1)>"
        )

    html = render_to_string(
        "audit/partials/_history.html", {"events": record_history(record=contact)}
    )

    assert "<img src=x" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


def test_the_history_partial_has_an_empty_state():
    html = render_to_string("audit/partials/_history.html", {"events": AuditEvent.objects.none()})

    assert "No changes recorded yet." in html
