"""Members get custom fields on their form and detail page like contacts and companies."""

from __future__ import annotations

import pytest
from django.urls import reverse

from guanxi.core.testing_views import ui_client
from guanxi.customfields.tests.factories import CustomFieldDefinitionFactory
from guanxi.members.tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def test_member_form_and_panel_show_member_definitions(admin, workspace):
    CustomFieldDefinitionFactory(
        workspace=workspace, model="members.member", key="shoe", label="鞋码", type="number"
    )
    CustomFieldDefinitionFactory(workspace=workspace, key="contact_only", label="仅联系人")
    member = MemberFactory(workspace=workspace, custom_fields={"shoe": 41})
    client = ui_client(admin)
    form = client.get(reverse("members:edit", args=[member.pk])).context["form"]
    assert "cf_shoe" in form.fields and "cf_contact_only" not in form.fields
    assert form["cf_shoe"].value() == 41
    html = client.get(reverse("members:detail", args=[member.pk])).content.decode()
    assert "鞋码" in html and "仅联系人" not in html


def test_member_form_saves_custom_values(admin, workspace):
    CustomFieldDefinitionFactory(
        workspace=workspace, model="members.member", key="shoe", label="鞋码", type="number"
    )
    member = MemberFactory(workspace=workspace, custom_fields={})
    client = ui_client(admin)
    form = client.get(reverse("members:edit", args=[member.pk])).context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    data.update(cf_shoe="43")
    response = client.post(reverse("members:edit", args=[member.pk]), data)
    assert response.status_code == 302, response.context["form"].errors
    member.refresh_from_db()
    assert member.custom_fields == {"shoe": 43}


def test_member_api_validates_custom_values_and_filters_by_them(admin, api_client, workspace):
    # given
    CustomFieldDefinitionFactory(
        workspace=workspace, model="members.member", key="shoe", label="鞋码", type="number"
    )
    member = MemberFactory(workspace=workspace, custom_fields={})
    other = MemberFactory(workspace=workspace, custom_fields={"shoe": 38})
    client = api_client(admin)
    url = f"/api/v1/members/{member.pk}/"

    # when
    refused = client.patch(url, {"custom_fields": {"shoe": "<b>big</b>"}}, format="json")
    unknown = client.patch(url, {"custom_fields": {"nope": 1}}, format="json")
    accepted = client.patch(url, {"custom_fields": {"shoe": 42}}, format="json")
    filtered = client.get("/api/v1/members/", {"cf_shoe__gte": 40})

    # then
    assert refused.status_code == 400
    assert list(refused.json()["error"]["fields"]) == ["custom_fields.shoe"]
    assert unknown.status_code == 400
    assert accepted.status_code == 200, accepted.json()
    assert accepted.json()["custom_fields"] == {"shoe": 42}
    assert [row["id"] for row in filtered.json()["results"]] == [str(member.pk)]
    assert str(other.pk) not in filtered.content.decode()
