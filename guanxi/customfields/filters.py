"""Filters on custom field values, added per workspace when a FilterSet is built (PLAT-6).

`cf_<key>=value` matches exactly (text, choice, boolean; for multiple choice: has that choice);
number, decimal and date fields also get `cf_<key>__gte` and `cf_<key>__lte`. The JSON
lookups are written so they run on SQLite and PostgreSQL.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import django_filters
from django.db import connection
from django.db.models import (
    BigIntegerField,
    DecimalField,
    ExpressionWrapper,
    Q,
    QuerySet,
    TextField,
)
from django.db.models.fields.json import KeyTextTransform, KeyTransform
from django.db.models.functions import Cast
from django.utils.translation import gettext as _

from guanxi.core.filtersets import workspace_of
from guanxi.customfields.models import CustomFieldDefinition, CustomFieldType
from guanxi.customfields.values import MAX_TEXT_LENGTH, definitions_for

T = CustomFieldType
PREFIX = "cf_"
# list pages show selects for these types; the rest are for links and the API
PAGE_FILTER_TYPES = (T.BOOLEAN, T.CHOICE, T.MULTI_CHOICE)
MAX_PAGE_FILTERS = 6


def _text(definition: CustomFieldDefinition) -> ExpressionWrapper:
    # wrapped so that lookups are plain text ones (KeyTextTransform keeps the JSON lookups,
    # which would compare against a JSON-encoded value)
    return ExpressionWrapper(
        KeyTextTransform(definition.key, "custom_fields"), output_field=TextField()
    )


def _value_expression(definition: CustomFieldDefinition) -> Any:
    """The stored value as an SQL expression comparable with the filter's Python value."""
    text = _text(definition)
    if definition.type == T.NUMBER:
        return Cast(text, BigIntegerField())
    if definition.type == T.DECIMAL:
        return Cast(text, DecimalField(max_digits=30, decimal_places=6))
    if definition.type == T.BOOLEAN:
        return KeyTransform(definition.key, "custom_fields")
    return text


def _alias(definition: CustomFieldDefinition) -> str:
    return f"cfv_{definition.key}"


def _compare(definition: CustomFieldDefinition, lookup: str) -> Callable[..., QuerySet]:
    def apply(queryset: QuerySet, name: str, value: Any) -> QuerySet:
        if value is None or value == "":
            return queryset
        if definition.type == T.DATE:
            value = value.isoformat()
        alias = _alias(definition)
        queryset = queryset.alias(**{alias: _value_expression(definition)})
        return queryset.filter(**{f"{alias}__{lookup}": value})

    return apply


def _has_choice(definition: CustomFieldDefinition) -> Callable[..., QuerySet]:
    def apply(queryset: QuerySet, name: str, value: Any) -> QuerySet:
        if not value:
            return queryset
        alias = _alias(definition)
        if connection.vendor == "postgresql":
            queryset = queryset.alias(**{alias: KeyTransform(definition.key, "custom_fields")})
            return queryset.filter(**{f"{alias}__contains": [value]})
        # SQLite has no JSON containment: match the quoted element in the list's JSON text
        # (stored with \\u escapes or as UTF-8), quotes inside values are escaped, so "a" never
        # matches inside another element
        queryset = queryset.alias(**{alias: _text(definition)})
        return queryset.filter(
            Q(**{f"{alias}__contains": json.dumps(value)})
            | Q(**{f"{alias}__contains": json.dumps(value, ensure_ascii=False)})
        )

    return apply


def filters_for(definition: CustomFieldDefinition) -> dict[str, django_filters.Filter]:
    name = PREFIX + definition.key
    label = definition.label
    kind = definition.type
    if kind == T.BOOLEAN:
        return {
            name: django_filters.BooleanFilter(label=label, method=_compare(definition, "exact"))
        }
    if kind in (T.CHOICE, T.MULTI_CHOICE):
        method = _compare(definition, "exact") if kind == T.CHOICE else _has_choice(definition)
        return {
            name: django_filters.ChoiceFilter(
                label=label, choices=[(c, c) for c in definition.choices], method=method
            )
        }
    if kind in (T.NUMBER, T.DECIMAL, T.DATE):
        filter_class = {
            T.NUMBER: django_filters.NumberFilter,
            T.DECIMAL: django_filters.NumberFilter,
            T.DATE: django_filters.DateFilter,
        }[kind]
        return {
            name: filter_class(label=label, method=_compare(definition, "exact")),
            f"{name}__gte": filter_class(
                label=_("%(label)s at least") % {"label": label},
                method=_compare(definition, "gte"),
            ),
            f"{name}__lte": filter_class(
                label=_("%(label)s at most") % {"label": label},
                method=_compare(definition, "lte"),
            ),
        }
    return {
        name: django_filters.CharFilter(
            label=label, max_length=MAX_TEXT_LENGTH, method=_compare(definition, "exact")
        )
    }


class CustomFieldFilterMixin:
    """Adds the workspace's custom field filters to a FilterSet of a model with custom_fields.

    `custom_page_filters` names the ones a list page shows (selects only).
    """

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.custom_page_filters: list[str] = []
        workspace = workspace_of(self.request)
        if workspace is None:
            return
        for definition in definitions_for(workspace, self._meta.model._meta.label_lower):
            extra = filters_for(definition)
            for name, filter_ in extra.items():
                filter_.model = self._meta.model
                filter_.parent = self
                self.filters[name] = filter_
            if (
                definition.type in PAGE_FILTER_TYPES
                and len(self.custom_page_filters) < MAX_PAGE_FILTERS
            ):
                self.custom_page_filters.append(PREFIX + definition.key)
