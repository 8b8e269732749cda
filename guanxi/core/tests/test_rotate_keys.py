"""Key rotation: every encrypted value moves to the active key; blind indexes keep working."""

from __future__ import annotations

import base64
import os
from io import StringIO

import pytest
from cryptography.exceptions import InvalidTag
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import connection

from guanxi.audit.models import AuditEvent
from guanxi.contacts.models import Contact
from guanxi.contacts.tests.factories import ContactFactory
from guanxi.core import crypto
from guanxi.core.fields import blind_index_of
from guanxi.core.pii import mobile_index_form

pytestmark = pytest.mark.django_db


def new_key() -> str:
    return base64.b64encode(os.urandom(32)).decode()


@pytest.fixture
def use_keys(settings):
    """use_keys("k2:…,k1:…") switches the configured field keys (the keyring is cached)."""

    def switch(field_keys: str) -> None:
        settings.FIELD_KEYS = field_keys
        crypto.keyring.cache_clear()

    yield switch
    crypto.keyring.cache_clear()


def stored_values(column: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM contacts_contact ORDER BY id")  # noqa: S608
        return [value for (value,) in cursor.fetchall()]


def rotate(batch_size: int = 1000) -> str:
    out = StringIO()
    call_command("rotate_field_keys", "--batch-size", str(batch_size), stdout=out)
    return out.getvalue()


@pytest.mark.parametrize("batch_size", [1000, 2], ids=["one-batch", "many-batches"])
def test_rotation_re_encrypts_every_value_with_the_active_key(use_keys, workspace, batch_size):
    # given: five contacts encrypted under k1, one without email
    k1, k2 = f"k1:{new_key()}", f"k2:{new_key()}"
    use_keys(k1)
    contacts = ContactFactory.create_batch(4, workspace=workspace, id_number="110101199003077777")
    no_email = ContactFactory(workspace=workspace, email="")
    indexes_before = sorted(Contact.objects.values_list("mobile_index", "email_index"))
    assert all(value.startswith("k1$") for value in stored_values("mobile"))

    # when: k2 becomes active and the rotation runs
    use_keys(f"{k2},{k1}")
    output = rotate(batch_size)

    # then
    assert "contacts.Contact: re-encrypted 13 values (values found per key id: k1: 13)" in output
    for column in ("mobile", "email", "id_number"):
        assert all(v.startswith("k2$") or v == "" for v in stored_values(column)), column
    assert stored_values("email").count("") == 1
    assert sorted(Contact.objects.values_list("mobile_index", "email_index")) == indexes_before

    # and: with k1 dropped, everything still decrypts and is found by its blind index
    use_keys(k2)
    for contact in [*contacts, no_email]:
        reloaded = Contact.objects.get(
            mobile_index=blind_index_of(contact.mobile, mobile_index_form)
        )
        assert (reloaded.pk, reloaded.mobile, reloaded.email, reloaded.id_number) == (
            contact.pk,
            contact.mobile,
            contact.email,
            contact.id_number,
        )


def test_rotation_leaves_rows_already_on_the_active_key_and_their_timestamps(use_keys, workspace):
    # given
    k1 = f"k1:{new_key()}"
    use_keys(k1)
    contact = ContactFactory(workspace=workspace)
    stored = stored_values("mobile")
    updated_at = Contact.objects.get().updated_at

    # when
    output = rotate()

    # then
    assert "re-encrypted 0 values (values found per key id: k1: 2)" in output
    assert stored_values("mobile") == stored
    assert Contact.objects.get(pk=contact.pk).updated_at == updated_at


def test_rotation_writes_no_audit_events(use_keys, workspace):
    # given
    k1 = f"k1:{new_key()}"
    use_keys(k1)
    ContactFactory.create_batch(3, workspace=workspace)
    events = AuditEvent.objects.count()

    # when
    use_keys(f"k2:{new_key()},{k1}")
    rotate()

    # then
    assert AuditEvent.objects.count() == events


def test_rotation_with_wrong_key_material_fails_and_writes_nothing(use_keys, workspace):
    # given: the data is under k1, but "k1" is now configured with other bytes
    use_keys(f"k1:{new_key()}")
    ContactFactory.create_batch(3, workspace=workspace)
    stored = stored_values("mobile")

    # when / then
    use_keys(f"k2:{new_key()},k1:{new_key()}")
    with pytest.raises(InvalidTag):
        rotate()
    assert stored_values("mobile") == stored


def test_rotation_refuses_values_under_a_key_that_is_not_configured(use_keys, workspace):
    # given
    use_keys(f"k1:{new_key()}")
    ContactFactory(workspace=workspace)

    # when / then
    use_keys(f"k2:{new_key()}")
    with pytest.raises(ImproperlyConfigured, match="No field key with id 'k1'"):
        rotate()
    assert all(value.startswith("k1$") for value in stored_values("mobile"))
