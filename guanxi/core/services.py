"""Write helpers every app's services share."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _

from guanxi.core.models import Tag

M = TypeVar("M", bound=models.Model)


@transaction.atomic
def record_create(*, model: type[M], workspace: Any, actor: Any, data: dict[str, Any]) -> M:
    """Create a workspace record from validated data: owner defaults to the actor, tags by name."""
    data = dict(data)
    tag_names = data.pop("tags", None)
    data.setdefault("owner", actor)
    instance = model(workspace=workspace, **data)
    instance.full_clean()
    save_integrity(instance)
    if tag_names:
        instance.tags.set(tags_by_name(workspace=workspace, names=tag_names))
    return instance


@transaction.atomic
def record_update(*, instance: M, fields: Iterable[str], data: dict[str, Any]) -> M:
    """Update a workspace record; `tags` come as names."""
    data = dict(data)
    if "tags" in data:
        data["tags"] = tags_by_name(workspace=instance.workspace, names=data["tags"])
    model_update(instance=instance, fields=fields, data=data)
    return instance


def model_update(*, instance: M, fields: Iterable[str], data: dict[str, Any]) -> tuple[M, bool]:
    """Set the given fields from `data`, validate, and save only what changed.

    Returns the instance and whether anything changed. Many-to-many fields are set after save.
    """
    changed: list[str] = []
    m2m: dict[str, Any] = {}
    many_to_many = {f.name for f in instance._meta.many_to_many}
    for name in fields:
        if name not in data:
            continue
        if name in many_to_many:
            m2m[name] = data[name]
            continue
        field = instance._meta.get_field(name)
        if getattr(instance, field.attname if field.is_relation else name) != _raw(
            field, data[name]
        ):
            setattr(instance, name, data[name])
            changed.append(name)
    if changed:
        instance.full_clean()
        # clean() may normalise values and refresh derived columns (blind indexes)
        derived = [f.attname for f in instance._meta.concrete_fields if f.name.endswith("_index")]
        save_integrity(instance, update_fields=[*changed, *derived, "updated_at"])
    for name, values in m2m.items():
        getattr(instance, name).set(values)
    return instance, bool(changed or m2m)


def _raw(field: models.Field, value: Any) -> Any:
    return value.pk if field.is_relation and isinstance(value, models.Model) else value


def save_integrity(instance: models.Model, **kwargs: Any) -> None:
    """Save, turning a race on a unique constraint into the same error full_clean() gives."""
    try:
        instance.save(**kwargs)
    except IntegrityError as exc:
        raise ValidationError(
            _(
                "Another record was saved with the same unique value a moment ago; reload and try again."
            )
        ) from exc


def tags_by_name(*, workspace: Any, names: Iterable[str]) -> list[Tag]:
    """The workspace's tags with these names, creating the missing ones."""
    wanted = {name.strip()[:50] for name in names if name and name.strip()}
    existing = {tag.name: tag for tag in Tag.objects.filter(workspace=workspace, name__in=wanted)}
    missing = [Tag(workspace=workspace, name=name) for name in sorted(wanted - existing.keys())]
    Tag.objects.bulk_create(missing, ignore_conflicts=True)
    if missing:
        existing = {
            tag.name: tag for tag in Tag.objects.filter(workspace=workspace, name__in=wanted)
        }
    return sorted(existing.values(), key=lambda tag: tag.name)
