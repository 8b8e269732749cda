"""AES-256-GCM for PII at rest (with key ids for rotation) and HMAC-SHA256 blind indexes."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
from dataclasses import dataclass, field
from functools import cache

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

NONCE_BYTES = 12
SEPARATOR = "$"


@dataclass(frozen=True)
class FieldKeyring:
    """Encryption keys by id: the first is active for new values, all decrypt."""

    keys: dict[str, bytes]
    active_id: str
    index_key: bytes
    ciphers: dict[str, AESGCM] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def parse(cls, field_keys: str, index_key: str) -> FieldKeyring:
        keys: dict[str, bytes] = {}
        for entry in filter(None, (part.strip() for part in field_keys.split(","))):
            key_id, _, encoded = entry.partition(":")
            key = _decode_key(encoded, f"GUANXI_FIELD_KEYS entry {key_id!r}")
            if not key_id or SEPARATOR in key_id:
                raise ImproperlyConfigured("GUANXI_FIELD_KEYS entries look like 'id:base64key'.")
            keys[key_id] = key
        if not keys:
            raise ImproperlyConfigured("GUANXI_FIELD_KEYS holds no key.")
        return cls(
            keys=keys,
            active_id=next(iter(keys)),
            index_key=_decode_key(index_key, "GUANXI_INDEX_KEY"),
        )

    def encrypt(self, plaintext: str) -> str:
        nonce = os.urandom(NONCE_BYTES)
        sealed = self.cipher(self.active_id).encrypt(nonce, plaintext.encode(), None)
        return self.active_id + SEPARATOR + base64.b64encode(nonce + sealed).decode()

    def decrypt(self, token: str) -> str:
        key_id, _, payload = token.partition(SEPARATOR)
        if key_id not in self.keys:
            raise ImproperlyConfigured(f"No field key with id {key_id!r} is configured.")
        raw = base64.b64decode(payload)
        return self.cipher(key_id).decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], None).decode()

    def cipher(self, key_id: str) -> AESGCM:
        # one AESGCM per key: building it re-expands the key schedule on every value
        if key_id not in self.ciphers:
            self.ciphers[key_id] = AESGCM(self.keys[key_id])
        return self.ciphers[key_id]

    def key_id_of(self, token: str) -> str:
        return token.partition(SEPARATOR)[0]

    def blind_index(self, normalised: str) -> str:
        return hmac.new(self.index_key, normalised.encode(), hashlib.sha256).hexdigest()


def _decode_key(encoded: str, what: str) -> bytes:
    try:
        key = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ImproperlyConfigured(f"{what} is not base64.") from exc
    if len(key) != 32:
        raise ImproperlyConfigured(f"{what} must be 32 bytes (AES-256), got {len(key)}.")
    return key


@cache
def keyring() -> FieldKeyring:
    return FieldKeyring.parse(settings.FIELD_KEYS, settings.INDEX_KEY)
