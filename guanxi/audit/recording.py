"""Turns model changes into audit events: snapshots, diffs, masking and per-context folding."""

from __future__ import annotations

import copy
import datetime
import decimal
import functools
import uuid
from collections.abc import Iterable
from typing import Any

from django.db import models
from django.utils import timezone

from guanxi.audit.choices import AuditAction
from guanxi.audit.context import AuditContext, current_context
from guanxi.audit.models import AuditEvent
from guanxi.core.ids import uuid7
from guanxi.core.inserts import rows_insert

NEVER_AUDITED = {"id", "created_at", "updated_at", "workspace"}


def is_audited(model: type[models.Model]) -> bool:
    return getattr(model, "audit_enabled", False)


def audited_fields(model: type[models.Model]) -> list[models.Field]:
    exclude = NEVER_AUDITED | set(getattr(model, "audit_exclude", ()))
    return [
        f
        for f in model._meta.concrete_fields
        if f.name not in exclude and not f.name.endswith("_index")
    ]


# JSON-safe as they are (exact types: Choices members and other subclasses take the long way)
JSON_SCALARS = frozenset({str, int, bool, float, type(None)})
EMPTY = (None, "", [], {})


def plain(value: Any) -> Any:
    """A JSON-safe form of a field value."""
    if type(value) in JSON_SCALARS:  # most values: skip the isinstance chain
        return value
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    return value


@functools.cache
def audited_attnames(model: type[models.Model]) -> tuple[str, ...]:
    return tuple(f.attname for f in audited_fields(model))


def snapshot(instance: models.Model) -> dict[str, Any]:
    """Raw field values as loaded: cheap enough to take for every row a list page reads.

    Deferred fields are simply absent from __dict__; conversion to JSON-safe values waits
    until a diff actually has changes. Lists and dicts are copied so in-place edits show.
    """
    values = instance.__dict__
    return {
        name: copy.copy(values[name]) if isinstance(values[name], list | dict) else values[name]
        for name in audited_attnames(type(instance))
        if name in values
    }


def masked(model: type[models.Model], changes: dict[str, list[Any]]) -> dict[str, list[Any]]:
    masks = getattr(model, "audit_masks", {})
    return {
        name: [masks[name](v) if v else v for v in pair] if name in masks else list(pair)
        for name, pair in changes.items()
    }


@functools.cache
def field_names_by_attname(model: type[models.Model]) -> dict[str, str]:
    return {f.attname: f.name for f in model._meta.concrete_fields}


def diff(
    model: type[models.Model], before: dict[str, Any], after: dict[str, Any]
) -> dict[str, list[Any]]:
    names = field_names_by_attname(model)  # changes are keyed `owner`, not `owner_id`
    changes = {}
    for key, value in after.items():
        old = before.get(key)
        if old != value and not (old in EMPTY and value in EMPTY):
            changes[names.get(key, key)] = [plain(old), plain(value)]
    return changes


def object_type_of(model: type[models.Model]) -> str:
    return model._meta.label_lower


def event_values(
    context: AuditContext, instance: models.Model, action: str, changes: dict[str, list[Any]]
) -> dict[str, Any]:
    """An event's column values by attname, masked, without the id and timestamp."""
    return {
        "workspace_id": getattr(instance, "workspace_id", None),
        "actor_id": context.actor_id,
        "source": context.source,
        "action": action,
        "object_type": object_type_of(type(instance)),
        "object_id": str(instance.pk),
        "object_repr": str(instance)[:200],
        "changes": masked(type(instance), changes),
        "request_id": context.request_id,
        "ip": context.ip,
    }


def build_event(
    context: AuditContext, instance: models.Model, action: str, changes: dict[str, list[Any]]
) -> AuditEvent:
    return AuditEvent(**event_values(context, instance, action, changes))


def record_change(instance: models.Model, action: str, changes: dict[str, list[Any]]) -> None:
    """Write one event, or fold these changes into the event this context already wrote for the object."""
    context = current_context()
    if context.suppressed or (action == AuditAction.UPDATE and not changes):
        return
    key = (object_type_of(type(instance)), str(instance.pk))
    existing = context.events.get(key)
    if (
        existing is not None
        and existing.action in (AuditAction.CREATE, AuditAction.UPDATE)
        and action == AuditAction.UPDATE
    ):
        # fold on the unmasked values: two different mobiles can share one mask
        merged = dict(existing.raw_changes)
        for name, (before, after) in changes.items():
            first_before = merged[name][0] if name in merged else before
            merged[name] = [first_before, after]
        existing.raw_changes = {k: v for k, v in merged.items() if v[0] != v[1]}
        existing.changes = masked(type(instance), existing.raw_changes)
        existing.save(update_fields=["changes"])
        return
    event = build_event(context, instance, action, changes)
    event.save()
    event.raw_changes = changes  # kept in memory only, for folding
    context.events[key] = event


def record_bulk(instances: Iterable[models.Model], action: str, changes_for: Any) -> int:
    """One audit row per record for bulk paths, inserted in a few multi-row statements.

    Rows go in as value tuples: building an AuditEvent per row (and its post_init) cost more
    than the insert itself. One timestamp for the whole call: it is one bulk action.
    """
    context = current_context()
    fields = AuditEvent._meta.local_concrete_fields
    now = timezone.now()
    rows = []
    for instance in instances:
        values = event_values(context, instance, action, changes_for(instance))
        values.update(id=uuid7(), created_at=now)
        rows.append(tuple(values[field.attname] for field in fields))
    rows_insert(AuditEvent, fields, rows, batch_size=1000)
    return len(rows)
