"""Quick tagging from a contact's or company's page: add by name, remove, permissions, audit."""

from __future__ import annotations

import pytest
from django.urls import reverse

from guanxi.companies.tests.factories import CompanyFactory
from guanxi.contacts.tests.factories import ContactFactory
from guanxi.core.models import Tag
from guanxi.core.testing import row_state
from guanxi.core.testing_views import audit_events_of, ui_client
from guanxi.workspaces.choices import Role

pytestmark = pytest.mark.django_db

FACTORIES = {"contacts": ContactFactory, "companies": CompanyFactory}


@pytest.mark.parametrize("namespace", FACTORIES)
def test_tags_typed_with_any_comma_are_added_once_and_audited(namespace, workspace, member):
    # given
    record = FACTORIES[namespace](workspace=workspace)
    client = ui_client(member(Role.ADMIN))

    # when
    response = client.post(
        reverse(f"{namespace}:tags", args=[record.pk]),
        {"add": "重点客户，VIP、 vip ,VIP"},
        headers={"HX-Request": "true"},
    )

    # then
    assert response.status_code == 200
    assert sorted(t.name for t in record.tags.all()) == ["VIP", "vip", "重点客户"]
    assert "重点客户" in response.content.decode()
    events = audit_events_of(record)
    assert len(events) == 1


def test_a_tag_is_removed_and_the_others_stay(workspace, admin):
    # given
    contact = ContactFactory(workspace=workspace)
    keep, drop = (Tag.objects.create(workspace=workspace, name=n) for n in ("keep", "drop"))
    contact.tags.set([keep, drop])

    # when
    response = ui_client(admin).post(
        reverse("contacts:tags", args=[contact.pk]), {"remove": str(drop.pk)}
    )

    # then
    assert response.status_code == 200
    assert [t.name for t in contact.tags.all()] == ["keep"]


def test_tag_names_are_escaped_and_cut_to_fifty_characters(workspace, admin):
    # given
    contact = ContactFactory(workspace=workspace)
    hostile = "<script>alert(1)</script>" + "x" * 100

    # when
    response = ui_client(admin).post(reverse("contacts:tags", args=[contact.pk]), {"add": hostile})

    # then
    body = response.content.decode()
    assert "<script>alert(1)" not in body
    assert "&lt;script&gt;" in body
    assert [len(t.name) for t in contact.tags.all()] == [50]


def test_an_empty_name_is_an_error_and_changes_nothing(workspace, admin):
    # given
    contact = ContactFactory(workspace=workspace)

    # when
    response = ui_client(admin).post(reverse("contacts:tags", args=[contact.pk]), {"add": " ，、 "})

    # then
    assert response.status_code == 200
    assert "Type at least one tag name." in response.content.decode()
    assert contact.tags.count() == 0


def test_a_viewer_may_not_tag_and_nothing_changes(workspace, member):
    # given
    contact = ContactFactory(workspace=workspace)
    before = row_state(contact)

    # when
    response = ui_client(member(Role.VIEWER)).post(
        reverse("contacts:tags", args=[contact.pk]), {"add": "VIP"}
    )

    # then
    assert response.status_code == 403
    assert contact.tags.count() == 0
    assert row_state(contact) == before


def test_another_workspaces_tag_id_is_not_removed(workspace, other_workspace, admin):
    # given
    contact = ContactFactory(workspace=workspace)
    foreign = ContactFactory(workspace=other_workspace)
    foreign_tag = Tag.objects.create(workspace=other_workspace, name="foreign")
    foreign.tags.set([foreign_tag])

    # when
    ui_client(admin).post(
        reverse("contacts:tags", args=[contact.pk]), {"remove": str(foreign_tag.pk)}
    )

    # then
    assert list(foreign.tags.all()) == [foreign_tag]


def test_the_detail_page_shows_the_tags_panel_with_a_form_only_for_editors(workspace, member):
    # given
    contact = ContactFactory(workspace=workspace)
    contact.tags.set([Tag.objects.create(workspace=workspace, name="华东")])

    # when
    editor_page = ui_client(member(Role.ADMIN)).get(contact.get_absolute_url()).content.decode()
    viewer_page = ui_client(member(Role.VIEWER)).get(contact.get_absolute_url()).content.decode()

    # then
    assert 'id="tags-panel"' in editor_page and "华东" in editor_page
    assert reverse("contacts:tags", args=[contact.pk]) in editor_page
    assert "华东" in viewer_page
    assert reverse("contacts:tags", args=[contact.pk]) not in viewer_page
