"""values.py: every type valid and invalid, import parsing, export formatting, merge rules."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from guanxi.customfields.models import CustomFieldDefinition
from guanxi.customfields.tests.factories import CustomFieldDefinitionFactory
from guanxi.customfields.values import (
    clean_custom_values,
    clean_single_value,
    definitions_for,
    format_custom_value,
    parse_custom_value,
)


def define(kind: str, **kwargs) -> CustomFieldDefinition:
    # unsaved: the cleaning functions need no database
    return CustomFieldDefinition(key=kwargs.pop("key", "f"), label="鞋码", type=kind, **kwargs)


VALID = [
    ("text", "  <b>VIP</b> 客户 ", "<b>VIP</b> 客户"),
    ("number", 42, 42),
    ("number", -(2**53 - 1), -(2**53 - 1)),
    ("number", 7.0, 7),
    ("decimal", "12.50", "12.5"),
    ("decimal", 3, "3"),
    ("decimal", Decimal("-0.000001"), "-0.000001"),
    ("decimal", "999999999.999999", "999999999.999999"),
    ("date", "2024-02-29", "2024-02-29"),
    ("date", datetime.date(2024, 1, 5), "2024-01-05"),
    ("boolean", False, False),
    ("url", "https://example.com/a?b=1", "https://example.com/a?b=1"),
    ("email", "li.lei@example.cn", "li.lei@example.cn"),
    ("phone", "+86 (21) 5555-0100", "+86 (21) 5555-0100"),
]


@pytest.mark.parametrize(("kind", "value", "stored"), VALID, ids=lambda v: repr(v)[:30])
def test_valid_values_are_stored_as_json_native_types(kind, value, stored) -> None:
    assert clean_single_value(define(kind), value) == stored


def test_choices_are_checked_and_multi_choice_is_stored_in_definition_order() -> None:
    choice = define("choice", choices=["金卡", "银卡"])
    multi = define("multi_choice", choices=["a", "b", "c"])
    assert clean_single_value(choice, "银卡") == "银卡"
    assert clean_single_value(multi, ["c", "a", "c"]) == ["a", "c"]
    assert clean_single_value(multi, []) is None


INVALID = [
    ("text", 5, "expected text"),
    ("text", "x" * 1001, "at most 1000"),
    ("text", "a\x00b", "NUL"),
    ("number", "5", "whole number"),
    ("number", True, "whole number"),
    ("number", 1.5, "whole number"),
    ("number", 2**53, "too large"),
    ("number", 10**400, "too large"),
    ("decimal", "1e20", "too large"),
    ("decimal", "1.1234567", "decimal places"),
    ("decimal", "NaN", "expected a number"),
    ("decimal", "abc", "expected a number"),
    ("decimal", [1], "expected a number"),
    ("decimal", False, "expected a number"),
    ("date", "2023-02-29", "YYYY-MM-DD"),
    ("date", 20240101, "YYYY-MM-DD"),
    ("boolean", "true", "true or false"),
    ("boolean", 1, "true or false"),
    ("url", "javascript:alert(1)", "web address"),
    ("url", "https://" + "a" * 600 + ".com", "at most 500"),
    ("email", "not-an-email", "email"),
    ("phone", "call me", "phone"),
    ("phone", "1" * 31, "at most 30"),
]


@pytest.mark.parametrize(("kind", "value", "reason"), INVALID, ids=lambda v: repr(v)[:30])
def test_invalid_values_name_the_label_and_the_reason(kind, value, reason) -> None:
    with pytest.raises(ValidationError) as caught:
        clean_single_value(define(kind), value)
    [message] = caught.value.messages
    assert message.startswith("鞋码:")
    assert reason in message


@pytest.mark.parametrize(
    ("kind", "value"),
    [("choice", "铜卡"), ("choice", 1), ("multi_choice", "a"), ("multi_choice", ["a", "z"])],
)
def test_values_outside_the_choices_are_refused(kind, value) -> None:
    with pytest.raises(ValidationError):
        clean_single_value(define(kind, choices=["a", "铜"]), value)


PARSED = [
    ("boolean", "是", True),
    ("boolean", "否", False),
    ("boolean", "YES", True),
    ("boolean", "0", False),
    ("boolean", "true", True),
    ("date", "2024/3/7", "2024-03-07"),
    ("date", "2024-03-07", "2024-03-07"),
    ("number", "1,234", 1234),
    ("number", "12.0", 12),
    ("decimal", "1,234.50", "1234.5"),
    ("text", "  ", None),
]


@pytest.mark.parametrize(("kind", "text", "value"), PARSED, ids=lambda v: repr(v)[:20])
def test_parse_custom_value_reads_spreadsheet_cells(kind, text, value) -> None:
    assert parse_custom_value(define(kind), text) == value


def test_parse_multi_choice_splits_on_semicolons_and_chinese_commas() -> None:
    definition = define("multi_choice", choices=["红", "绿", "蓝"])
    assert parse_custom_value(definition, "蓝；红，绿;") == ["红", "绿", "蓝"]


@pytest.mark.parametrize(
    ("kind", "text"), [("boolean", "也许"), ("date", "7/3/2024"), ("number", "12.5")]
)
def test_parse_custom_value_refuses_unreadable_cells(kind, text) -> None:
    with pytest.raises(ValidationError):
        parse_custom_value(define(kind), text)


def test_format_custom_value_round_trips_through_parse() -> None:
    multi = define("multi_choice", choices=["红", "绿"])
    boolean = define("boolean")
    assert format_custom_value(multi, ["红", "绿"]) == "红; 绿"
    assert parse_custom_value(multi, format_custom_value(multi, ["红", "绿"])) == ["红", "绿"]
    assert format_custom_value(boolean, True) == "Yes"
    assert parse_custom_value(boolean, format_custom_value(boolean, False)) is False
    assert format_custom_value(define("decimal"), None) == ""


class TestCleanCustomValues:
    def definitions(self) -> list[CustomFieldDefinition]:
        return [
            define("text", key="size", required=True),
            define("choice", key="level", choices=["金", "银"], default="银"),
            define("text", key="old", active=False),
        ]

    def test_create_applies_defaults_and_requires_required_fields(self) -> None:
        assert clean_custom_values(self.definitions(), {"size": "42"}) == {
            "size": "42",
            "level": "银",
        }
        with pytest.raises(ValidationError) as caught:
            clean_custom_values(self.definitions(), {})
        assert list(caught.value.message_dict) == ["custom_fields.size"]
        assert "required" in caught.value.message_dict["custom_fields.size"][0]

    def test_update_merges_keeps_archived_values_and_null_removes(self) -> None:
        existing = {"size": "40", "level": "金", "old": "kept", "gone_definition": 1}
        result = clean_custom_values(self.definitions(), {"level": None}, existing=existing)
        assert result == {"size": "40", "old": "kept", "gone_definition": 1}
        # defaults apply on create only
        assert "level" not in result

    def test_unknown_and_archived_keys_are_errors_per_key(self) -> None:
        with pytest.raises(ValidationError) as caught:
            clean_custom_values(
                self.definitions(), {"size": 5, "nope": "x", "old": "y"}, existing={}
            )
        errors = caught.value.message_dict
        assert set(errors) == {"custom_fields.size", "custom_fields.nope", "custom_fields.old"}
        assert "archived" in errors["custom_fields.old"][0]
        assert "no custom field" in errors["custom_fields.nope"][0]

    @pytest.mark.parametrize("raw", [[], "x", None, 5])
    def test_a_payload_that_is_not_an_object_is_refused(self, raw) -> None:
        with pytest.raises(ValidationError) as caught:
            clean_custom_values(self.definitions(), raw)
        assert list(caught.value.message_dict) == ["custom_fields"]


@pytest.mark.django_db
def test_definitions_for_is_scoped_ordered_and_hides_archived(workspace, other_workspace) -> None:
    second = CustomFieldDefinitionFactory(workspace=workspace, order=2)
    first = CustomFieldDefinitionFactory(workspace=workspace, order=1)
    archived = CustomFieldDefinitionFactory(workspace=workspace, order=0, active=False)
    CustomFieldDefinitionFactory(workspace=workspace, model="companies.company")
    CustomFieldDefinitionFactory(workspace=other_workspace)
    assert definitions_for(workspace, "contacts.contact") == [first, second]
    assert definitions_for(workspace, "contacts.contact", include_inactive=True) == [
        archived,
        first,
        second,
    ]


@pytest.mark.django_db
def test_a_definition_validates_its_key_choices_and_default(workspace) -> None:
    with pytest.raises(ValidationError) as caught:
        CustomFieldDefinition(
            workspace=workspace,
            model="contacts.contact",
            key="Bad__Key",
            label="x",
            type="choice",
            choices=["a", "a"],
            default="z",
        ).full_clean()
    assert {"key", "choices"} <= set(caught.value.message_dict)
    definition = CustomFieldDefinition(
        workspace=workspace, model="contacts.contact", key="n", label="n", type="number", default=5
    )
    definition.full_clean()
    definition.default = "five"
    with pytest.raises(ValidationError) as caught:
        definition.full_clean()
    assert "default" in caught.value.message_dict
