"""Validators, normalisers and masks of personal data (CUS-5, SEC-2), with property tests."""

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from guanxi.core.pii import (
    mask_email,
    mask_mobile,
    mobile_index_form,
    normalise_email,
    normalise_mobile,
)

china_mobiles = st.builds(
    lambda second, rest: f"1{second}{rest}",
    st.sampled_from("3456789"),
    st.text("0123456789", min_size=9, max_size=9),
)


@pytest.mark.parametrize(
    ("raw", "stored"),
    [
        ("13880008000", "13880008000"),
        ("138 8000 8000", "13880008000"),
        ("+86 138-8000-8000", "13880008000"),
        ("008613880008000", "13880008000"),
        ("+44 7911 123456", "+447911123456"),
    ],
    ids=["plain", "spaces", "plus86", "00-prefix", "uk-e164"],
)
def test_normalise_mobile_accepts(raw, stored):
    assert normalise_mobile(raw) == stored


@pytest.mark.parametrize(
    "raw",
    ["12880008000", "1388000800", "138800080001", "abc", "+1 555", "<script>", ""],
    ids=["second-digit-2", "10-digits", "12-digits", "letters", "short-intl", "html", "empty"],
)
def test_normalise_mobile_refuses(raw):
    with pytest.raises(ValidationError):
        normalise_mobile(raw)


@given(china_mobiles)
def test_every_china_mobile_is_kept_and_masked(mobile):
    assert normalise_mobile(mobile) == mobile
    assert normalise_mobile("+86" + mobile) == mobile
    assert mobile_index_form(mobile) == "+86" + mobile
    assert mask_mobile(mobile) == mobile[:3] + "****" + mobile[-4:]


@given(st.text(max_size=40))
def test_normalise_mobile_never_crashes_on_any_text(text):
    try:
        stored = normalise_mobile(text)
    except ValidationError:
        return
    assert normalise_mobile(stored) == stored  # idempotent


def test_email_domain_is_lowercased_and_masked():
    assert normalise_email(" Zhang.Wei@Example.COM ") == "Zhang.Wei@example.com"
    assert mask_email("zhang@example.com") == "z***@example.com"


@pytest.mark.parametrize(
    "raw", ["zhang", "a@b", "a@b.c", "x" * 250 + "@example.com", "a b@example.com"]
)
def test_normalise_email_refuses(raw):
    with pytest.raises(ValidationError):
        normalise_email(raw)
