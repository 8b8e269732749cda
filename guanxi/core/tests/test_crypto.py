"""PII at rest: AES-256-GCM ciphertext in the row, never the plaintext; blind indexes for lookups."""

from __future__ import annotations

import base64

import pytest
from cryptography.exceptions import InvalidTag
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import connection

from guanxi.contacts.models import Contact
from guanxi.contacts.services import contact_create, contact_update
from guanxi.core.crypto import FieldKeyring, keyring

KEY_A = base64.b64encode(b"a" * 32).decode()
KEY_B = base64.b64encode(b"b" * 32).decode()
INDEX = base64.b64encode(b"i" * 32).decode()
PLAIN = {
    "mobile": "13800138000",
    "email": "wang.fang@example.com",
    "id_number": "110101199001011234",
}


def raw_row(contact: Contact) -> dict[str, str]:
    """The stored columns as the database holds them, bypassing the model fields."""
    table = connection.ops.quote_name(Contact._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT mobile, email, id_number, mobile_index, email_index FROM {table} WHERE name = %s",  # noqa: S608
            [contact.name],
        )
        mobile, email, id_number, mobile_index, email_index = cursor.fetchone()
    return {
        "mobile": mobile,
        "email": email,
        "id_number": id_number,
        "mobile_index": mobile_index,
        "email_index": email_index,
    }


@pytest.mark.django_db
def test_the_row_holds_ciphertext_that_never_contains_the_plaintext(workspace):
    contact = contact_create(workspace=workspace, actor=None, name="王芳", **PLAIN)
    row = raw_row(contact)
    for field, plain in PLAIN.items():
        assert plain not in row[field]
        assert row[field].startswith(keyring().active_id + "$")
        assert keyring().decrypt(row[field]) == plain
    assert "13800138000" not in row["mobile_index"] and len(row["mobile_index"]) == 64


@pytest.mark.django_db
def test_the_ciphertext_differs_on_every_save_and_still_decrypts(workspace):
    contact = contact_create(workspace=workspace, actor=None, name="王芳", **PLAIN)
    first = raw_row(contact)
    contact.save()
    second = raw_row(contact)
    assert first["mobile"] != second["mobile"]
    assert first["mobile_index"] == second["mobile_index"]
    assert Contact.objects.get(pk=contact.pk).mobile == PLAIN["mobile"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "form", ["+8613800138000", "+86 138 0013 8000", "008613800138000", "138-0013-8000"], ids=str
)
def test_the_blind_index_is_the_same_for_86_and_national_forms(form, workspace):
    national = contact_create(workspace=workspace, actor=None, name="甲", mobile="13800138000")
    other = Contact(workspace=workspace, name="乙", mobile=form)
    other.clean_fields()
    with pytest.raises(ValidationError, match="甲"):
        other.full_clean()
    # the stored form is national and its index equal
    assert other.mobile == "13800138000"
    assert other.mobile_index == national.mobile_index


@pytest.mark.django_db
def test_changing_the_mobile_recomputes_its_index(workspace):
    contact = contact_create(workspace=workspace, actor=None, name="王芳", **PLAIN)
    before = raw_row(contact)["mobile_index"]
    contact_update(contact=contact, actor=None, data={"mobile": "+86 139 0013 9000"})
    after = raw_row(contact)
    assert after["mobile_index"] != before
    assert Contact.objects.get(mobile_index=after["mobile_index"]).mobile == "13900139000"


@pytest.mark.django_db
def test_clearing_a_field_clears_its_index(workspace):
    contact = contact_create(workspace=workspace, actor=None, name="王芳", **PLAIN)
    contact_update(contact=contact, actor=None, data={"email": ""})
    assert raw_row(contact)["email"] == "" and raw_row(contact)["email_index"] == ""


def test_a_rotated_keyring_decrypts_old_values_and_encrypts_with_the_new_key():
    old = FieldKeyring.parse(f"k1:{KEY_A}", INDEX)
    token = old.encrypt("13800138000")
    rotated = FieldKeyring.parse(f"k2:{KEY_B},k1:{KEY_A}", INDEX)
    assert rotated.decrypt(token) == "13800138000"
    assert rotated.key_id_of(rotated.encrypt("x")) == "k2"
    assert rotated.blind_index("x") == old.blind_index("x")


def test_a_tampered_ciphertext_is_refused():
    ring = FieldKeyring.parse(f"k1:{KEY_A}", INDEX)
    key_id, _, payload = ring.encrypt("13800138000").partition("$")
    raw = bytearray(base64.b64decode(payload))
    raw[-1] ^= 1
    with pytest.raises(InvalidTag):
        ring.decrypt(f"{key_id}${base64.b64encode(bytes(raw)).decode()}")


def test_an_unknown_key_id_is_a_configuration_error():
    ring = FieldKeyring.parse(f"k1:{KEY_A}", INDEX)
    with pytest.raises(ImproperlyConfigured, match="gone"):
        ring.decrypt("gone$AAAA")


@pytest.mark.parametrize(
    ("field_keys", "index_key"),
    [
        ("", INDEX),
        ("k1:not-base64!", INDEX),
        (f"k1:{base64.b64encode(b'short').decode()}", INDEX),
        (f":{KEY_A}", INDEX),
        (f"k$1:{KEY_A}", INDEX),
        (f"k1:{KEY_A}", "short"),
    ],
    ids=["empty", "not-base64", "short-key", "no-id", "separator-in-id", "bad-index-key"],
)
def test_bad_key_configuration_is_refused(field_keys, index_key):
    with pytest.raises(ImproperlyConfigured):
        FieldKeyring.parse(field_keys, index_key)
