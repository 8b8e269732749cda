"""Header auto-matching and cell conversion of the importer registry."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from guanxi.imports.targets import (
    CONTACTS,
    auto_mapping,
    convert,
    parse_date,
    template_mapping,
)


def mapped(headers: list[str]) -> list[str]:
    mapping = auto_mapping(CONTACTS.fields, headers)
    return [mapping.get(str(i), "") for i in range(len(headers))]


def test_chinese_headers_match():
    headers = ["姓名", "手机号", "电子邮件", "公司", "职位", "性别", "生日", "省份", "城市", "地址"]
    assert mapped(headers) == [
        "name", "mobile", "email", "company", "job_title",
        "gender", "birthday", "province", "city", "street",
    ]  # fmt: skip


def test_english_headers_and_field_labels_match_case_and_spacing_insensitively():
    assert mapped(["NAME", "mobile ", "E-mail", "Job title", "External ID", "Notes"]) == [
        "name", "mobile", "email", "job_title", "external_id", "description",
    ]  # fmt: skip


def test_google_contacts_headers_match():
    headers = [
        "Given Name", "Family Name", "E-mail 1 - Value", "Phone 1 - Value",
        "Organization 1 - Name", "Organization 1 - Title", "Group Membership",
    ]  # fmt: skip
    assert mapped(headers) == [
        "given_name", "family_name", "email", "mobile", "company", "job_title", "",
    ]  # fmt: skip


def test_outlook_headers_match():
    headers = ["First Name", "Last Name", "E-mail Address", "Mobile Phone", "Company", "Job Title"]
    assert mapped(headers) == [
        "given_name", "family_name", "email", "mobile", "company", "job_title",
    ]  # fmt: skip


def test_a_field_is_matched_once_even_if_two_headers_name_it():
    assert mapped(["手机", "电话"]) == ["mobile", ""]


def test_a_template_applies_by_header():
    assert template_mapping({"客户名": "name", "手机": "mobile"}, ["手机", "x", "客户名"]) == {
        "0": "mobile",
        "2": "name",
    }


@pytest.mark.parametrize("raw", ["男", "Male", "male", "M", " 男性 "])
def test_choices_accept_codes_and_labels_in_both_languages(raw):
    gender = CONTACTS.fields_by_key["gender"]
    assert convert(gender, raw, {}) == "male"


def test_an_unknown_choice_names_the_allowed_ones():
    gender = CONTACTS.fields_by_key["gender"]
    with pytest.raises(ValidationError, match="Choose one of: Female, Male, Other"):
        convert(gender, "unknown", {})


@pytest.mark.parametrize(
    "raw",
    ["1990-01-02", "1990/1/2", "1990.01.02", "19900102", "1990年1月2日", "1990-01-02T00:00:00"],
)
def test_dates_in_common_spellings(raw):
    assert parse_date(raw) == datetime.date(1990, 1, 2)


def test_a_bad_date_is_an_error():
    with pytest.raises(ValidationError):
        parse_date("yesterday")
