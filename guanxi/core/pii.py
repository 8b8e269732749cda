"""Validation, normalisation and masking of personal data: mobiles, emails, ID numbers (CUS-5, SEC-2)."""

from __future__ import annotations

import re

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

CHINA_MOBILE = re.compile(r"^1[3-9]\d{9}$")
EMAIL = re.compile(r"^[a-zA-Z0-9._%+-]+@[a-zA-Z0-9.-]+\.[a-zA-Z]{2,}$")
ID_NUMBER = re.compile(r"^[0-9A-Za-z-]{4,32}$")
MAX_EMAIL_LENGTH = 254
PHONE_SEPARATORS = re.compile(r"[\s\-().]")


def normalise_mobile(raw: str) -> str:
    """The stored form: China mobiles as 11 digits, any other country in E.164 (+4915…).

    Raises ValidationError naming what is wrong.
    """
    value = PHONE_SEPARATORS.sub("", str(raw)).strip()
    if value.startswith("00"):
        value = "+" + value[2:]
    if value.startswith("+86"):
        value = value[3:]
    if not value.startswith("+"):
        if CHINA_MOBILE.match(value):
            return value
        raise ValidationError(
            _(
                "Enter a China mobile number (11 digits starting 13–19) or an international number starting with +."
            ),
            code="invalid_mobile",
        )
    try:
        parsed = phonenumbers.parse(value, None)
    except phonenumbers.NumberParseException as exc:
        raise ValidationError(_("This is not a phone number."), code="invalid_mobile") from exc
    if not phonenumbers.is_valid_number(parsed):
        raise ValidationError(
            _("This phone number is not valid for its country."), code="invalid_mobile"
        )
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def mobile_index_form(stored: str) -> str:
    """E.164 for every number, so +86 and national forms of one mobile index the same."""
    return stored if stored.startswith("+") else "+86" + stored


def normalise_email(raw: str) -> str:
    value = str(raw).strip()
    if len(value) > MAX_EMAIL_LENGTH or not EMAIL.match(value):
        raise ValidationError(
            _("Enter a valid email address, like name@example.com."), code="invalid_email"
        )
    local, _at, domain = value.rpartition("@")
    return f"{local}@{domain.lower()}"


def email_index_form(stored: str) -> str:
    return stored.lower()


def normalise_id_number(raw: str) -> str:
    value = re.sub(r"\s", "", str(raw)).upper()
    if not ID_NUMBER.match(value):
        raise ValidationError(
            _("An ID number has 4–32 letters, digits or hyphens."), code="invalid_id_number"
        )
    return value


def mask_mobile(value: str) -> str:
    """13880008000 → 138****8000; international numbers keep their first 4 and last 4."""
    if not value:
        return value
    keep_head = 3 if not value.startswith("+") else 4
    if len(value) <= keep_head + 4:
        return "*" * len(value)
    return value[:keep_head] + "****" + value[-4:]


def mask_email(value: str) -> str:
    """zhang.wei@example.com → z***@example.com"""
    if not value or "@" not in value:
        return "***" if value else value
    local, _at, domain = value.rpartition("@")
    return f"{local[:1]}***@{domain}"


def mask_id_number(value: str) -> str:
    if not value:
        return value
    if len(value) <= 6:
        return "*" * len(value)
    return value[:2] + "*" * (len(value) - 6) + value[-4:]
