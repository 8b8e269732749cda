"""Evaluating a rule's conditions against a record, in memory (no query per rule)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from guanxi.assignment.choices import Operator

CUSTOM_PREFIX = "cf:"


def field_value(record: Any, name: str) -> Any:
    """A record's value for a condition: a model attribute, or `cf:<key>` for a custom field."""
    if name.startswith(CUSTOM_PREFIX):
        return (getattr(record, "custom_fields", None) or {}).get(name[len(CUSTOM_PREFIX) :])
    value = getattr(record, name, None)
    return getattr(value, "pk", value)


def _number(value: Any) -> Decimal | None:
    if isinstance(value, bool) or value in (None, ""):
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip().casefold()


def _as_list(value: Any) -> list[Any]:
    if isinstance(value, list):
        return value
    # "上海, 北京" and "上海，北京" both mean two values
    return [part for part in str(value).replace("，", ",").split(",") if part.strip()]


def holds(condition: dict[str, Any], record: Any) -> bool:
    actual = field_value(record, condition["field"])
    op, expected = condition["op"], condition["value"]
    if op in (Operator.GTE, Operator.LTE):
        left, right = _number(actual), _number(expected)
        if left is None or right is None:
            return False
        return left >= right if op == Operator.GTE else left <= right
    if op == Operator.IN:
        return _text(actual) in {_text(item) for item in _as_list(expected)}
    if op == Operator.CONTAINS:
        if isinstance(actual, list):
            return _text(expected) in {_text(item) for item in actual}
        return _text(expected) in _text(actual)
    left_number, right_number = _number(actual), _number(expected)
    if left_number is not None and right_number is not None:
        equal = left_number == right_number
    else:
        equal = _text(actual) == _text(expected)
    return equal if op == Operator.EQ else not equal


def all_hold(conditions: list[dict[str, Any]], record: Any) -> bool:
    return all(holds(condition, record) for condition in conditions)
