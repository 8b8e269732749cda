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
