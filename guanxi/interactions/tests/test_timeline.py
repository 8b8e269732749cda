"""The merged timeline: order across sources, paging without duplicates or gaps (ties included),
kind filter, a company's timeline, visibility, and the htmx endpoint."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse

from guanxi.audit.models import AuditEvent
from guanxi.companies.tests.factories import CompanyFactory
from guanxi.contacts.tests.factories import ContactFactory
from guanxi.core.testing_views import ui_client
from guanxi.core.timeline import timeline_page
from guanxi.interactions.tests.factories import InteractionFactory
from guanxi.workspaces.choices import Role
from guanxi.workspaces.tests.factories import TeamFactory

pytestmark = pytest.mark.django_db
T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def change_at(record, at: datetime, field: str = "job_title") -> AuditEvent:
    event = AuditEvent.objects.create(
        workspace_id=record.workspace_id,
        source="ui",
        action="update",
        object_type=record._meta.label_lower,
        object_id=str(record.pk),
        changes={field: ["", "x"]},
    )
    AuditEvent.objects.filter(pk=event.pk).update(created_at=at)
    return event


def only_my_events(record) -> None:
    """Drop the factory's own create event, so tests control every change entry's time."""
    AuditEvent.objects.filter(object_id=str(record.pk)).delete()


def all_pages(record, membership, limit, kinds=None):
    entries, before, pages = [], None, 0
    while True:
        page, before = timeline_page(record, membership, kinds=kinds, before=before, limit=limit)
        entries += page
        pages += 1
        assert pages < 200, "the cursor does not advance"
        if before is None:
            return entries


def key(entry) -> tuple:
    return (entry.at, entry.kind, entry.title, entry.body)


def test_entries_of_all_sources_are_merged_newest_first(admin):
    # given a contact with two interactions and one change in between
    contact = ContactFactory(workspace=admin.workspace)
    only_my_events(contact)
    InteractionFactory(workspace=admin.workspace, contact=contact, subject="早", occurred_at=T0)
    InteractionFactory(
        workspace=admin.workspace,
        contact=contact,
        subject="晚",
        occurred_at=T0 + timedelta(hours=2),
    )
    change_at(contact, T0 + timedelta(hours=1))
    # when the first page is read
    page, cursor = timeline_page(contact, admin)
    # then
    assert [(e.kind, e.title) for e in page] == [
        ("interaction", "晚"),
        ("change", "Updated"),
        ("interaction", "早"),
    ]
    assert page[1].body == "Changed: job title"
    assert cursor is None


@pytest.mark.parametrize("limit", [1, 2, 3, 7, 50], ids=lambda n: f"page-{n}")
def test_paging_returns_every_entry_once_even_with_ties(limit, admin):
    # given interactions and changes interleaved, several sharing one time across sources
    contact = ContactFactory(workspace=admin.workspace)
    only_my_events(contact)
    times = [T0 + timedelta(minutes=m) for m in (0, 5, 5, 5, 9, 12, 12, 20, 20, 20, 20, 31)]
    for n, at in enumerate(times):
        InteractionFactory(
            workspace=admin.workspace, contact=contact, subject=f"i{n}", occurred_at=at
        )
    for n, at in enumerate(times[::2]):
        change_at(contact, at, field=f"c{n}")
    expected = sorted(all_pages(contact, admin, limit=1000), key=lambda e: e.at, reverse=True)
    assert len(expected) == len(times) + len(times[::2])
    # when paging through with a small page
    paged = all_pages(contact, admin, limit=limit)
    # then every entry comes exactly once, newest first
    assert sorted(map(key, paged)) == sorted(map(key, expected))
    assert len(set(map(key, paged))) == len(paged)
    assert [e.at for e in paged] == sorted((e.at for e in paged), reverse=True)


def test_more_entries_at_one_time_than_a_page_are_not_lost(admin):
    # given five interactions at one time, more than a page, and ten older ones
    contact = ContactFactory(workspace=admin.workspace)
    only_my_events(contact)
    for n in range(5):
        InteractionFactory(
            workspace=admin.workspace, contact=contact, subject=f"同时{n}", occurred_at=T0
        )
    for n in range(10):
        InteractionFactory(
            workspace=admin.workspace,
            contact=contact,
            subject=f"之前{n}",
            occurred_at=T0 - timedelta(hours=n + 1),
        )
    # when the first page of two is read
    first, cursor = timeline_page(contact, admin, limit=2)
    # then it grows to hold all five, and the rest follows
    assert {f"同时{n}" for n in range(5)} <= {e.title for e in first}
    assert cursor is not None
    titles = [e.title for e in all_pages(contact, admin, limit=2)]
    assert sorted(titles) == sorted(
        [f"同时{n}" for n in range(5)] + [f"之前{n}" for n in range(10)]
    )


def test_the_kind_filter_keeps_one_source(admin):
    contact = ContactFactory(workspace=admin.workspace)
    InteractionFactory(workspace=admin.workspace, contact=contact)
    page, _cursor = timeline_page(contact, admin, kinds={"interaction"})
    assert {e.kind for e in page} == {"interaction"}
    page, _cursor = timeline_page(contact, admin, kinds={"change"})
    assert {e.kind for e in page} == {"change"}


def test_a_companys_timeline_includes_its_contacts_interactions(admin):
    # given a contact who joined the company after an interaction was logged
    company = CompanyFactory(workspace=admin.workspace)
    contact = ContactFactory(workspace=admin.workspace)
    InteractionFactory(workspace=admin.workspace, contact=contact, subject="入职前")
    contact.company = company
    contact.save()
    InteractionFactory(workspace=admin.workspace, contact=None, company=company, subject="公司")
    InteractionFactory(workspace=admin.workspace, subject="别人")
    # when
    page, _cursor = timeline_page(company, admin, kinds={"interaction"})
    # then
    assert sorted(e.title for e in page) == ["入职前", "公司"]
    assert {e.extra["about"] for e in page} == {contact.name, ""}


def test_sales_see_only_their_teams_interactions(member, workspace):
    team, other_team = TeamFactory(workspace=workspace), TeamFactory(workspace=workspace)
    me, teammate = member(Role.SALES, team=team), member(Role.SALES, team=team)
    stranger = member(Role.SALES, team=other_team)
    contact = ContactFactory(workspace=workspace, owner=None)
    for who in (me, teammate, stranger):
        InteractionFactory(
            workspace=workspace, contact=contact, owner=who.user, subject=who.user.username
        )
    page, _cursor = timeline_page(contact, me, kinds={"interaction"})
    assert sorted(e.title for e in page) == sorted([me.user.username, teammate.user.username])


# --- the htmx endpoint ----------------------------------------------------------------------
def timeline_url(record) -> str:
    return reverse(f"interactions:timeline_{record._meta.model_name}", args=[record.pk])


def test_load_more_answers_the_next_entries_and_a_new_button(admin):
    contact = ContactFactory(workspace=admin.workspace)
    only_my_events(contact)
    for n in range(45):
        InteractionFactory(
            workspace=admin.workspace,
            contact=contact,
            subject=f"第{n:02d}次",
            occurred_at=T0 + timedelta(minutes=n),
        )
    client = ui_client(admin)
    first = client.get(timeline_url(contact), HTTP_HX_REQUEST="true")
    more_url = first.context["panel"]["more_url"]
    assert [e.title for e in first.context["panel"]["entries"]][:2] == ["第44次", "第43次"]
    second = client.get(more_url, HTTP_HX_REQUEST="true")
    body = second.content.decode()
    assert second.status_code == 200
    assert 'class="timeline-body' not in body  # only the items, appended in place
    assert second.context["panel"]["entries"][0].title == "第24次"
    third = client.get(second.context["panel"]["more_url"], HTTP_HX_REQUEST="true")
    assert [e.title for e in third.context["panel"]["entries"]][-1] == "第00次"
    assert third.context["panel"]["more_url"] == ""


@pytest.mark.parametrize("before", ["yesterday", "2026-13-45T00:00:00", "x" * 5000], ids=str)
def test_a_bad_cursor_is_a_400(before, admin):
    contact = ContactFactory(workspace=admin.workspace)
    response = ui_client(admin).get(timeline_url(contact), {"before": before})
    assert response.status_code == 400


@pytest.mark.parametrize("kind", ["<script>", "interaction\x00", "nope"], ids=str)
def test_an_unknown_kind_shows_everything(kind, admin):
    contact = ContactFactory(workspace=admin.workspace)
    response = ui_client(admin).get(timeline_url(contact), {"kind": kind})
    assert response.status_code == 200
    assert response.context["panel"]["kind"] == ""
    assert "<script>" not in response.content.decode()


@pytest.mark.parametrize("factory", [ContactFactory, CompanyFactory], ids=["contact", "company"])
def test_another_workspaces_record_is_404(factory, admin, other_workspace):
    foreign = factory(workspace=other_workspace)
    InteractionFactory(workspace=other_workspace, contact=None, company=None, subject="secret")
    assert ui_client(admin).get(timeline_url(foreign)).status_code == 404


def test_a_record_outside_the_sales_scope_is_404(member, workspace):
    team, other_team = TeamFactory(workspace=workspace), TeamFactory(workspace=workspace)
    sales = member(Role.SALES, team=team)
    theirs = ContactFactory(workspace=workspace, owner=member(Role.SALES, team=other_team).user)
    assert ui_client(sales).get(timeline_url(theirs)).status_code == 404
