"""Contact services: normalised and encrypted personal data, duplicates named, workspace rules."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from guanxi.companies.tests.factories import CompanyFactory
from guanxi.contacts.models import Contact
from guanxi.contacts.services import contact_create, contact_delete, contact_update
from guanxi.contacts.tests.factories import ContactFactory

pytestmark = pytest.mark.django_db


def test_create_normalises_mobile_email_and_id_number(admin):
    contact = contact_create(
        workspace=admin.workspace,
        actor=admin.user,
        name="王芳",
        mobile="+86 138-0013-8000",
        email="Wang.Fang@EXAMPLE.com",
        id_number="11010119900101123x",
    )
    stored = Contact.objects.get(pk=contact.pk)
    assert (stored.mobile, stored.email, stored.id_number) == (
        "13800138000",
        "Wang.Fang@example.com",
        "11010119900101123X",
    )
    assert stored.owner_id == admin.user_id


def test_an_international_mobile_is_stored_in_e164(workspace):
    contact = contact_create(
        workspace=workspace, actor=None, name="Anna", mobile="0049 151 23456789"
    )
    assert contact.mobile == "+4915123456789"


@pytest.mark.parametrize(
    ("field", "value"),
    [("mobile", "+8613800138000"), ("email", "WANG@example.com")],
    ids=["mobile", "email"],
)
def test_a_duplicate_is_refused_naming_the_existing_contact(field, value, workspace):
    existing = ContactFactory(
        workspace=workspace, name="王芳", mobile="13800138000", email="wang@example.com"
    )
    with pytest.raises(ValidationError) as error:
        contact_create(workspace=workspace, actor=None, name="新人", **{field: value})
    message = error.value.message_dict[field][0]
    assert "王芳" in message and str(existing.pk) in message


def test_the_same_mobile_in_another_workspace_is_allowed(workspace, other_workspace):
    ContactFactory(workspace=workspace, mobile="13800138000")
    other = contact_create(workspace=other_workspace, actor=None, name="x", mobile="13800138000")
    assert other.mobile_index == Contact.objects.get(workspace=workspace).mobile_index


def test_updating_a_contact_to_its_own_mobile_is_not_a_duplicate(workspace):
    contact = ContactFactory(workspace=workspace, mobile="13800138000")
    contact_update(contact=contact, actor=None, data={"mobile": "+86 13800138000", "city": "x"})
    assert Contact.objects.get(pk=contact.pk).city == "x"


def test_a_company_of_another_workspace_is_refused(workspace, other_workspace):
    foreign = CompanyFactory(workspace=other_workspace)
    with pytest.raises(ValidationError) as error:
        contact_create(workspace=workspace, actor=None, name="x", company=foreign)
    assert list(error.value.message_dict) == ["company"]
    assert not Contact.objects.exists()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"mobile": "12345"}, "mobile"),
        ({"email": "not-an-email"}, "email"),
        ({"id_number": "<script>"}, "id_number"),
        ({"gender": "robot"}, "gender"),
        ({"name": ""}, "name"),
    ],
    ids=["mobile", "email", "id-number", "gender", "name"],
)
def test_invalid_values_are_refused_on_their_field(data, field, workspace):
    with pytest.raises(ValidationError) as error:
        contact_create(workspace=workspace, actor=None, **{"name": "x", **data})
    assert field in error.value.message_dict
    assert not Contact.objects.exists()


def test_an_update_that_fails_validation_changes_nothing(workspace):
    contact = ContactFactory(workspace=workspace, name="原名", mobile="13800138000")
    with pytest.raises(ValidationError):
        contact_update(contact=contact, actor=None, data={"name": "新名", "mobile": "bad"})
    stored = Contact.objects.get(pk=contact.pk)
    assert (stored.name, stored.mobile) == ("原名", "13800138000")


def test_delete_removes_the_contact(workspace):
    contact = ContactFactory(workspace=workspace)
    contact_delete(contact=contact, actor=None)
    assert not Contact.objects.exists()
