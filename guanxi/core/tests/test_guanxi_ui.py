"""The list-table template helpers give exactly what the slower Django equivalents give."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django import forms
from django.template import engines
from django.urls import reverse
from django.utils import timezone, translation

from guanxi.companies.models import Company
from guanxi.companies.tests.factories import CompanyFactory
from guanxi.core.models import Tag
from guanxi.core.templatetags.guanxi_ui import choice_label, iso_date, pk_url, related_list
from guanxi.core.views import inline_select_options


def test_pk_url_is_reverse_of_the_pk() -> None:
    # given a record with a UUID pk
    company = Company(name="Acme")
    # when/then the built URL is what reverse() gives, for every record
    assert pk_url(company, "companies:detail") == reverse("companies:detail", args=[company.pk])
    other = Company(name="Other")
    assert pk_url(other, "companies:detail") == f"/companies/{other.pk}/"


def test_pk_url_falls_back_to_reverse_for_other_pk_types() -> None:
    # a pk that is not (yet) a UUID object, e.g. set from a string
    company = Company(pk=str(uuid.uuid4()))
    assert pk_url(company, "companies:detail") == f"/companies/{company.pk}/"


@pytest.mark.parametrize(
    ("field", "value", "language", "expected"),
    [
        ("industry", "retail", "en", "Retail"),
        ("industry", "retail", "zh-hans", Company(industry="retail").get_industry_display),
        ("industry", "", "en", ""),
        ("industry", "<b>unknown</b>", "en", "<b>unknown</b>"),
        (
            "lifecycle_stage",
            "lead",
            "zh-hans",
            Company(lifecycle_stage="lead").get_lifecycle_stage_display,
        ),
    ],
    ids=["label", "translated", "blank", "unknown-value", "other-field"],
)
def test_choice_label_is_get_display(field, value, language, expected) -> None:
    company = Company(**{field: value})
    with translation.override(language):
        wanted = expected() if callable(expected) else expected
        assert choice_label(company, field) == wanted
        assert choice_label(company, field) == getattr(company, f"get_{field}_display")()


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (dt.datetime(2026, 3, 1, 20, 30, tzinfo=dt.UTC), "2026-03-02"),  # Asia/Shanghai is +8
        (dt.date(999, 1, 5), "0999-01-05"),
        (None, ""),
        ("", ""),
    ],
    ids=["aware-datetime-in-local-time", "date", "none", "empty"],
)
def test_iso_date_in_templates_matches_the_date_filter(value, expected) -> None:
    template = engines["django"].from_string(
        '{% load guanxi_ui %}{{ value|iso_date }}|{{ value|date:"Y-m-d" }}'
    )
    with timezone.override("Asia/Shanghai"):
        mine, django = template.render({"value": value}).split("|")
    assert mine == expected
    assert mine == django


def test_iso_date_outside_templates() -> None:
    assert iso_date(dt.date(2026, 1, 2)) == "2026-01-02"


class ChoiceForm(forms.Form):
    stage = forms.ChoiceField(
        choices=[("", "---"), ("a", "<A & B>"), ("Group", [("g1", "G one")])], required=False
    )
    multi = forms.MultipleChoiceField(choices=[("a", "A"), ("g1", "G")], required=False)
    when = forms.DateField(required=False)


@pytest.mark.parametrize(
    "data", [{}, {"stage": "a"}, {"stage": "g1", "multi": ["a", "g1"]}, {"stage": '"><x>'}], ids=str
)
def test_inline_select_options_render_the_same_markup(data) -> None:
    # given the same form rendered with the stock templates and with inlined options
    stock, inlined = ChoiceForm(data), ChoiceForm(data)
    inline_select_options(inlined)
    # then the selects (single and multiple) use one template, and their markup is identical
    assert inlined.fields["stage"].widget.template_name == "core/widgets/select.html"
    assert inlined.fields["multi"].widget.template_name == "core/widgets/select.html"
    assert inlined.fields["when"].widget.template_name == stock.fields["when"].widget.template_name
    for name in ("stage", "multi", "when"):
        assert str(inlined[name]) == str(stock[name])


@pytest.mark.django_db
@pytest.mark.parametrize("prefetch", [True, False], ids=["prefetched", "not-prefetched"])
def test_related_list_gives_the_related_records(workspace, prefetch) -> None:
    # given a company with two tags
    company = CompanyFactory(workspace=workspace)
    company.tags.set(
        [Tag.objects.create(workspace=workspace, name=name) for name in ("VIP", "<b>x</b>")]
    )
    queryset = Company.objects.filter(pk=company.pk)
    record = (queryset.prefetch_related("tags") if prefetch else queryset).get()
    # when/then the filter lists them (by name, the tag ordering) like record.tags.all
    assert [tag.name for tag in related_list(record, "tags")] == ["<b>x</b>", "VIP"]
