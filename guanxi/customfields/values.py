"""Custom field values: the stable interface forms, the API, import/export and duplicate
detection use (PLAT-6).

Values are stored in a record's `custom_fields` JSON under the definition key, as JSON-native
types: text/url/email/phone/choice → string, number → integer, decimal → string (exact),
date → "YYYY-MM-DD", boolean → true/false, multi_choice → list of strings. A key that has no
value is absent (never null or "").

Errors are `ValidationError({"custom_fields.<key>": [message]})` (or `{"custom_fields":
[message]}` when the payload is not an object); every message names the field label.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from guanxi.core.request_cache import per_request, request_cache_forget
from guanxi.customfields.models import CustomFieldDefinition, CustomFieldType

T = CustomFieldType
DEFINITIONS = "custom_field_definitions"  # request cache key

MAX_TEXT_LENGTH = 1000
MAX_URL_LENGTH = 500
MAX_EMAIL_LENGTH = 254
MAX_PHONE_LENGTH = 30
# integers beyond this lose precision in JavaScript clients
MAX_INTEGER = 2**53 - 1
MAX_DECIMAL_DIGITS = 15
MAX_DECIMAL_PLACES = 6

EMAIL_RE = re.compile(r"^[a-zA-Z0-9._%+-]+@[a-zA-Z0-9.-]+\.[a-zA-Z]{2,}$")
PHONE_RE = re.compile(r"^\+?[0-9][0-9 ()\-]{2,29}$")
TRUE_WORDS = {"是", "yes", "y", "true", "1", "对", "真", "on"}
FALSE_WORDS = {"否", "no", "n", "false", "0", "不", "假", "off"}
MULTI_SEPARATORS = re.compile(r"[;；,，]")


def definitions_for(
    workspace: Any, model_label: str, *, include_inactive: bool = False
) -> list[CustomFieldDefinition]:
    """The workspace's definitions for a model ("contacts.contact"), in display order.

    Read once per web request (a list's filters, columns and serializer all ask)."""
    workspace_id = getattr(workspace, "pk", workspace)
    every = per_request(
        (DEFINITIONS, workspace_id, model_label),
        lambda: list(
            CustomFieldDefinition.objects.filter(
                workspace_id=workspace_id, model=model_label
            ).order_by("order", "id")
        ),
    )
    return list(every) if include_inactive else [d for d in every if d.active]


def definitions_changed(**_kwargs: Any) -> None:
    """Signal receiver: a definition was saved or deleted during this request."""
    request_cache_forget(DEFINITIONS)


def is_empty(value: Any) -> bool:
    return value is None or value == "" or value == []


def _fail(definition: CustomFieldDefinition, reason: str) -> ValidationError:
    return ValidationError(
        _("%(label)s: %(reason)s") % {"label": definition.label, "reason": reason}
    )


def clean_single_value(definition: CustomFieldDefinition, value: Any) -> Any:
    """One value (JSON or Python type) as its stored JSON form; None for an empty value."""
    if is_empty(value):
        return None
    cleaner = _CLEANERS[definition.type]
    return cleaner(definition, value)


def _text(definition: CustomFieldDefinition, value: Any, max_length: int = MAX_TEXT_LENGTH) -> str:
    if not isinstance(value, str):
        raise _fail(definition, _("expected text."))
    value = value.strip()
    if "\x00" in value:
        raise _fail(definition, _("contains a NUL character."))
    if len(value) > max_length:
        raise _fail(
            definition,
            _("at most %(max)d characters (got %(n)d).") % {"max": max_length, "n": len(value)},
        )
    return value


def _clean_text(definition: CustomFieldDefinition, value: Any) -> str | None:
    return _text(definition, value) or None


def _clean_number(definition: CustomFieldDefinition, value: Any) -> int:
    if isinstance(value, bool):
        raise _fail(definition, _("expected a whole number."))
    if isinstance(value, float | Decimal):
        if value != value or value in (float("inf"), float("-inf")) or value != int(value):
            raise _fail(definition, _("expected a whole number."))
        value = int(value)
    if not isinstance(value, int):
        raise _fail(definition, _("expected a whole number."))
    if abs(value) > MAX_INTEGER:
        raise _fail(definition, _("the number is too large."))
    return value


def _clean_decimal(definition: CustomFieldDefinition, value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal | str):
        raise _fail(definition, _("expected a number."))
    try:
        number = Decimal(str(value).strip()) if not isinstance(value, Decimal) else value
    except InvalidOperation:
        raise _fail(definition, _("expected a number.")) from None
    if not number.is_finite():
        raise _fail(definition, _("expected a number."))
    exponent = number.normalize().as_tuple().exponent
    places = max(0, -exponent)
    if places > MAX_DECIMAL_PLACES:
        raise _fail(
            definition, _("at most %(places)d decimal places.") % {"places": MAX_DECIMAL_PLACES}
        )
    if abs(number) >= Decimal(10) ** (MAX_DECIMAL_DIGITS - MAX_DECIMAL_PLACES):
        raise _fail(definition, _("the number is too large."))
    return format(number.normalize(), "f") if number != 0 else "0"


def _clean_date(definition: CustomFieldDefinition, value: Any) -> str:
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if not isinstance(value, str):
        raise _fail(definition, _("expected a date (YYYY-MM-DD)."))
    try:
        return datetime.date.fromisoformat(value.strip()).isoformat()
    except ValueError:
        raise _fail(definition, _("expected a date (YYYY-MM-DD).")) from None


def _clean_boolean(definition: CustomFieldDefinition, value: Any) -> bool:
    if not isinstance(value, bool):
        raise _fail(definition, _("expected true or false."))
    return value


def _clean_choice(definition: CustomFieldDefinition, value: Any) -> str:
    if not isinstance(value, str):
        raise _fail(definition, _("expected one of the choices."))
    value = value.strip()
    if value not in definition.choices:
        raise _fail(
            definition,
            _("“%(value)s” is not one of the choices (%(choices)s).")
            % {"value": value[:100], "choices": ", ".join(definition.choices)},
        )
    return value


def _clean_multi_choice(definition: CustomFieldDefinition, value: Any) -> list[str] | None:
    if not isinstance(value, list | tuple):
        raise _fail(definition, _("expected a list of choices."))
    chosen = {_clean_choice(definition, item) for item in value}
    # stored in the definition's order, so equal selections compare equal
    return [choice for choice in definition.choices if choice in chosen] or None


def _clean_url(definition: CustomFieldDefinition, value: Any) -> str | None:
    value = _text(definition, value, MAX_URL_LENGTH)
    try:
        URLValidator(schemes=["http", "https"])(value)
    except ValidationError:
        raise _fail(
            definition, _("expected a web address starting with http:// or https://.")
        ) from None
    return value


def _clean_email(definition: CustomFieldDefinition, value: Any) -> str | None:
    value = _text(definition, value, MAX_EMAIL_LENGTH)
    if not EMAIL_RE.match(value):
        raise _fail(definition, _("expected an email address."))
    return value


def _clean_phone(definition: CustomFieldDefinition, value: Any) -> str | None:
    value = _text(definition, value, MAX_PHONE_LENGTH)
    if not PHONE_RE.match(value):
        raise _fail(definition, _("expected a phone number (digits, spaces, +, -, brackets)."))
    return value


_CLEANERS = {
    T.TEXT: _clean_text,
    T.NUMBER: _clean_number,
    T.DECIMAL: _clean_decimal,
    T.DATE: _clean_date,
    T.BOOLEAN: _clean_boolean,
    T.CHOICE: _clean_choice,
    T.MULTI_CHOICE: _clean_multi_choice,
    T.URL: _clean_url,
    T.EMAIL: _clean_email,
    T.PHONE: _clean_phone,
}


def clean_custom_values(
    definitions: Iterable[CustomFieldDefinition],
    raw: Any,
    *,
    existing: dict | None = None,
) -> dict:
    """Validate `raw` ({key: value}) against the definitions and return the dict to store.

    `raw` is merged over `existing`: keys not in `raw` keep their stored value, an empty value
    (null, "", []) removes the key. Values of inactive (archived) definitions and of keys with no
    active definition are kept from `existing` untouched and cannot be written. Creating
    (`existing is None`) fills in defaults for the keys `raw` leaves out.
    """
    if not isinstance(raw, dict):
        raise ValidationError({"custom_fields": [_("Expected an object of {key: value}.")]})
    definitions = list(definitions)
    active = {d.key: d for d in definitions if d.active}
    archived = {d.key: d for d in definitions if not d.active}
    result = dict(existing or {})
    errors: dict[str, list[str]] = {}
    for key, value in raw.items():
        definition = active.get(key)
        if definition is None:
            if key in archived:
                reason = _("the field “%(label)s” is archived and cannot be changed.") % {
                    "label": archived[key].label
                }
            else:
                reason = _("there is no custom field with the key “%(key)s”.") % {
                    "key": str(key)[:60]
                }
            errors[f"custom_fields.{str(key)[:60]}"] = [reason]
            continue
        try:
            cleaned = clean_single_value(definition, value)
        except ValidationError as exc:
            errors[f"custom_fields.{key}"] = exc.messages
            continue
        if cleaned is None:
            result.pop(key, None)
        else:
            result[key] = cleaned
    for key, definition in active.items():
        if existing is None and key not in raw and not is_empty(definition.default):
            result[key] = definition.default
        if (
            definition.required
            and is_empty(result.get(key))
            and f"custom_fields.{key}" not in errors
        ):
            errors[f"custom_fields.{key}"] = [
                _("%(label)s: this field is required.") % {"label": definition.label}
            ]
    if errors:
        raise ValidationError(errors)
    return result


def parse_custom_value(definition: CustomFieldDefinition, text: str) -> Any:
    """A value from a text cell (import): typed and validated, or None when the cell is empty.

    Booleans accept 是/否/yes/no/true/false/1/0, dates YYYY-MM-DD or YYYY/MM/DD, numbers may have
    thousands separators, multiple choices are separated by ; or ，.
    """
    if text is None:
        return None
    if not isinstance(text, str):
        text = str(text)
    text = text.strip()
    if not text:
        return None
    kind = definition.type
    value: Any = text
    if kind == T.BOOLEAN:
        word = text.lower()
        if word in TRUE_WORDS:
            value = True
        elif word in FALSE_WORDS:
            value = False
        else:
            raise _fail(definition, _("expected yes or no (是/否)."))
    elif kind == T.NUMBER:
        digits = text.replace(",", "").replace("，", "").replace(" ", "")
        if not re.fullmatch(r"[+-]?\d{1,20}(\.0*)?", digits):
            raise _fail(definition, _("expected a whole number."))
        value = int(Decimal(digits))
    elif kind == T.DECIMAL:
        value = text.replace(",", "").replace("，", "").replace(" ", "")
    elif kind == T.DATE:
        match = re.fullmatch(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})", text)
        if not match:
            raise _fail(definition, _("expected a date (YYYY-MM-DD)."))
        try:
            value = datetime.date(*(int(part) for part in match.groups()))
        except ValueError:
            raise _fail(definition, _("expected a date (YYYY-MM-DD).")) from None
    elif kind == T.MULTI_CHOICE:
        value = [part.strip() for part in MULTI_SEPARATORS.split(text) if part.strip()]
    return clean_single_value(definition, value)


def format_custom_value(definition: CustomFieldDefinition, value: Any) -> str:
    """A stored value as text for export and display ("" when empty)."""
    if is_empty(value):
        return ""
    kind = definition.type
    if kind == T.BOOLEAN:
        return _("Yes") if value is True else _("No") if value is False else str(value)
    if kind == T.MULTI_CHOICE and isinstance(value, list):
        return "; ".join(str(item) for item in value)
    return str(value)


def display_custom_value(definition: CustomFieldDefinition, value: Any) -> str:
    """Like format_custom_value, with dates in the active locale's format (web pages)."""
    if definition.type == T.DATE and isinstance(value, str):
        try:
            return date_format(datetime.date.fromisoformat(value), "DATE_FORMAT")
        except ValueError:
            pass
    return format_custom_value(definition, value)
