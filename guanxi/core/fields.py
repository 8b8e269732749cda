"""Model fields for PII at rest: an AES-GCM encrypted text field and its HMAC blind index."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import models

from guanxi.core.crypto import keyring


class EncryptedTextField(models.TextField):
    """Holds plaintext in Python and `keyid$base64(nonce|ciphertext)` in the database.

    The ciphertext changes on every save (random nonce), so look values up through the
    field's BlindIndexField, never by filtering on this column.
    """

    description = "Text encrypted at rest with AES-256-GCM"

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> str:
        if value in (None, ""):
            return ""
        return keyring().decrypt(value)

    def to_python(self, value: Any) -> str:
        return "" if value is None else str(value)

    def get_prep_value(self, value: Any) -> str:
        value = super().get_prep_value(value)
        if value in (None, ""):
            return ""
        return keyring().encrypt(str(value))


class BlindIndexField(models.CharField):
    """HMAC-SHA256 of the normalised value of `source`, recomputed on every save/bulk insert.

    Empty when the source is empty, so uniqueness constraints use a condition on `!= ""`.
    """

    def __init__(
        self,
        *args: Any,
        source: str = "",
        index_form: Callable[[str], str] | None = None,
        **kwargs: Any,
    ):
        self.source = source
        self.index_form = index_form or (lambda value: value)
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        kwargs.setdefault("editable", False)
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> tuple[Any, ...]:
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        for key in ("max_length", "blank", "default", "editable"):
            kwargs.pop(key, None)
        return name, path, args, kwargs

    def compute(self, instance: models.Model) -> str:
        return blind_index_of(getattr(instance, self.source), self.index_form)

    def pre_save(self, model_instance: models.Model, add: bool) -> str:
        value = self.compute(model_instance)
        setattr(model_instance, self.attname, value)
        return value


def blind_index_of(value: str, index_form: Callable[[str], str] = lambda v: v) -> str:
    return keyring().blind_index(index_form(value)) if value else ""
