"""Record types that assignment rules can route: leads, tasks, later tickets (register_assignable)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import models
from django.db.models import Q


@dataclass(frozen=True)
class Assignable:
    object_type: str
    model: type[models.Model]
    # field name → label: what conditions may test
    fields: dict[str, Any]
    # which records count as open load of their owner (None: all of them)
    open_filter: Q | None
    # the record field whose value must be one of the user's skills (skill match)
    skills_field: str | None
    # the permission resource whose members may own these records (None: any active member)
    resource: str | None

    @property
    def label(self) -> Any:
        return self.model._meta.verbose_name_plural


ASSIGNABLES: dict[str, Assignable] = {}


def register_assignable(
    object_type: str,
    *,
    model: type[models.Model],
    fields: dict[str, Any],
    open_filter: Q | None,
    skills_field: str | None = None,
    resource: str | None = None,
) -> Assignable:
    spec = Assignable(object_type, model, dict(fields), open_filter, skills_field, resource)
    ASSIGNABLES[object_type] = spec
    return spec


def assignable(object_type: str) -> Assignable:
    return ASSIGNABLES[object_type]


def assignable_or_none(object_type: str) -> Assignable | None:
    return ASSIGNABLES.get(object_type)


def object_type_choices() -> list[tuple[str, Any]]:
    return [(key, spec.label) for key, spec in sorted(ASSIGNABLES.items())]
