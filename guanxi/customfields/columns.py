"""Choosable list columns: which columns a user shows on the contact and company lists,
including custom fields and completeness, saved per user per list (ListColumnPreference)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _

from guanxi.customfields.models import CustomFieldDefinition, ListColumnPreference
from guanxi.customfields.values import definitions_for

CUSTOM_PREFIX = "cf:"
# the columns each list's table template can show (the name column always shows), in order
LIST_COLUMNS: dict[str, list[tuple[str, Any]]] = {
    "contacts.contact": [
        ("company", _("Company")),
        ("owner", _("Owner")),
        ("mobile", _("Mobile")),
        ("email", _("Email")),
        ("tags", _("Tags")),
        ("lifecycle_stage", _("Lifecycle stage")),
        ("completeness", _("Completeness")),
        ("created", _("Created")),
    ],
    "companies.company": [
        ("industry", _("Industry")),
        ("lifecycle_stage", _("Lifecycle stage")),
        ("owner", _("Owner")),
        ("tags", _("Tags")),
        ("city", _("City")),
        ("completeness", _("Completeness")),
        ("created", _("Created")),
    ],
}
HIDDEN_BY_DEFAULT = {"completeness"}


@dataclass
class ColumnChoice:
    key: str
    label: Any
    chosen: bool


@dataclass
class ListColumns:
    """What a list page needs: the options for the chooser and what to render."""

    list_name: str
    options: list[ColumnChoice] = field(default_factory=list)
    chosen: set[str] = field(default_factory=set)
    custom_columns: list[CustomFieldDefinition] = field(default_factory=list)


def default_columns(list_name: str) -> list[str]:
    return [key for key, _label in LIST_COLUMNS[list_name] if key not in HIDDEN_BY_DEFAULT]


def list_columns(*, membership: Any, list_name: str) -> ListColumns | None:
    """The user's columns for a list (two queries), or None for lists without a chooser."""
    if list_name not in LIST_COLUMNS:
        return None
    saved = (
        ListColumnPreference.objects.filter(
            workspace=membership.workspace, user_id=membership.user_id, list_name=list_name
        )
        .values_list("columns", flat=True)
        .first()
    )
    chosen = set(saved if isinstance(saved, list) else default_columns(list_name))
    columns = ListColumns(list_name=list_name, chosen=chosen)
    for key, label in LIST_COLUMNS[list_name]:
        columns.options.append(ColumnChoice(key, label, key in chosen))
    for definition in definitions_for(membership.workspace, list_name):
        key = CUSTOM_PREFIX + definition.key
        columns.options.append(ColumnChoice(key, definition.label, key in chosen))
        if key in chosen:
            columns.custom_columns.append(definition)
    return columns


def save_list_columns(*, membership: Any, list_name: str, keys: list[str] | None) -> None:
    """Store the chosen columns (unknown keys dropped); None goes back to the defaults."""
    if keys is None:
        ListColumnPreference.objects.filter(
            workspace=membership.workspace, user_id=membership.user_id, list_name=list_name
        ).delete()
        return
    allowed = {key for key, _label in LIST_COLUMNS[list_name]} | {
        CUSTOM_PREFIX + d.key for d in definitions_for(membership.workspace, list_name)
    }
    ListColumnPreference.objects.update_or_create(
        workspace=membership.workspace,
        user_id=membership.user_id,
        list_name=list_name,
        defaults={"columns": [key for key in dict.fromkeys(keys) if key in allowed]},
    )
