"""Turns audit events into rows people can read: field labels, choice labels, related names, links."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.urls import NoReverseMatch
from django.utils.translation import gettext as _

from guanxi.audit.models import AuditEvent
from guanxi.audit.recording import is_audited, object_type_of

EMPTY = "—"


@dataclass
class ChangeRow:
    label: str
    before: str
    after: str


@dataclass
class EventRow:
    event: AuditEvent
    type_label: str = ""
    object_url: str = ""
    changes: list[ChangeRow] = field(default_factory=list)


def audited_object_types() -> list[tuple[str, str]]:
    """(object_type, label) of every audited model, for the audit list's filter."""
    return sorted(
        (
            (object_type_of(model), type_label(object_type_of(model)))
            for model in apps.get_models()
            if is_audited(model)
        ),
        key=lambda choice: choice[1],
    )


def model_of(object_type: str) -> type[models.Model] | None:
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return None


def type_label(object_type: str) -> str:
    model = model_of(object_type)
    return str(model._meta.verbose_name).capitalize() if model is not None else object_type


def field_of(model: type[models.Model] | None, name: str) -> models.Field | None:
    if model is None:
        return None
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def event_rows(events: Iterable[AuditEvent], *, link_objects: bool = False) -> list[EventRow]:
    """Readable rows for a page of events: one query per related model, not per value."""
    events = list(events)
    names = related_names(events)
    existing = existing_objects(events) if link_objects else {}
    return [
        EventRow(
            event=event,
            type_label=type_label(event.object_type),
            object_url=existing.get((event.object_type, event.object_id), ""),
            changes=[
                change_row(model_of(event.object_type), name, pair, names)
                for name, pair in sorted(event.changes.items())
            ],
        )
        for event in events
    ]


def change_row(
    model: type[models.Model] | None,
    name: str,
    pair: Any,
    names: dict[tuple[type[models.Model], str], str],
) -> ChangeRow:
    model_field = field_of(model, name)
    label = str(model_field.verbose_name).capitalize() if model_field is not None else name
    before, after = [*pair, None, None][:2] if isinstance(pair, list) else (None, pair)
    return ChangeRow(
        label=label,
        before=readable(model_field, before, names),
        after=readable(model_field, after, names),
    )


def readable(
    model_field: models.Field | None,
    value: Any,
    names: dict[tuple[type[models.Model], str], str],
) -> str:
    if value in (None, "", [], {}):
        return EMPTY
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    if model_field is not None and model_field.many_to_one:
        return names.get((model_field.related_model, str(value)), _("(deleted)"))
    if model_field is not None and model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    return str(value)


def valid_pks(model: type[models.Model], values: Iterable[str]) -> set[Any]:
    """The values that are keys of this model; a log outlives schema changes and may hold others."""
    keys = set()
    for value in values:
        try:
            keys.add(model._meta.pk.to_python(value))
        except ValidationError:
            continue
    return keys


def related_names(events: list[AuditEvent]) -> dict[tuple[type[models.Model], str], str]:
    """The current names of the records that foreign-key values in these events point to."""
    wanted: dict[type[models.Model], set[str]] = defaultdict(set)
    for event in events:
        model = model_of(event.object_type)
        for name, pair in event.changes.items():
            model_field = field_of(model, name)
            if model_field is None or not model_field.many_to_one or not isinstance(pair, list):
                continue
            wanted[model_field.related_model].update(str(v) for v in pair if v)
    workspace_ids = {event.workspace_id for event in events}
    names = {}
    for related, ids in wanted.items():
        found = related._default_manager.filter(pk__in=valid_pks(related, ids))
        if field_of(related, "workspace") is not None:
            found = found.filter(workspace_id__in=workspace_ids)
        names.update({(related, str(obj.pk)): str(obj) for obj in found})
    return names


def existing_objects(events: list[AuditEvent]) -> dict[tuple[str, str], str]:
    """URLs of the events' objects that still exist and have a page."""
    wanted: dict[str, set[str]] = defaultdict(set)
    for event in events:
        wanted[event.object_type].add(event.object_id)
    urls = {}
    for object_type, ids in wanted.items():
        model = model_of(object_type)
        if model is None or not hasattr(model, "get_absolute_url"):
            continue
        found = model._default_manager.filter(pk__in=valid_pks(model, ids)).only("pk")
        if field_of(model, "workspace") is not None:
            found = found.filter(workspace_id__in={e.workspace_id for e in events})
        for obj in found:
            try:
                urls[(object_type, str(obj.pk))] = obj.get_absolute_url()
            except NoReverseMatch:  # the app has no detail page (yet)
                break
    return urls
