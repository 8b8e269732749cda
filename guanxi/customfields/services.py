"""Every write to custom field definitions and the tag administration (rename, merge, delete)."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.db import models, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from guanxi.audit.choices import AuditAction
from guanxi.audit.recording import record_bulk
from guanxi.core.errors import ApplicationError
from guanxi.core.models import Tag
from guanxi.core.services import model_update, record_update, save_integrity
from guanxi.customfields.models import MAX_DEFINITIONS_PER_MODEL, CustomFieldDefinition

# the key, record type and value type are fixed once values may exist under them
DEFINITION_EDITABLE_FIELDS = ("label", "choices", "required", "default", "help_text", "order")
TAG_EDITABLE_FIELDS = ("name", "group", "colour")
CLEAR_BATCH = 500


def model_for(model_label: str) -> type[models.Model] | None:
    """The record model a definition applies to, or None while its app has no model yet."""
    try:
        return apps.get_model(model_label)
    except (LookupError, ValueError):
        return None


@transaction.atomic
def definition_create(*, workspace: Any, actor: Any, **data: Any) -> CustomFieldDefinition:
    model_label = data.get("model", "")
    existing = CustomFieldDefinition.objects.filter(workspace=workspace, model=model_label)
    if existing.count() >= MAX_DEFINITIONS_PER_MODEL:
        raise ApplicationError(
            _("A record type can have at most %(max)d custom fields; archive or delete some.")
            % {"max": MAX_DEFINITIONS_PER_MODEL},
            code="too_many",
        )
    if "order" not in data or data["order"] is None:
        data["order"] = (existing.aggregate(Max("order"))["order__max"] or 0) + 1
    definition = CustomFieldDefinition(workspace=workspace, **data)
    definition.full_clean()
    save_integrity(definition)
    return definition


@transaction.atomic
def definition_update(
    *, definition: CustomFieldDefinition, actor: Any, data: dict[str, Any]
) -> CustomFieldDefinition:
    model_update(instance=definition, fields=DEFINITION_EDITABLE_FIELDS, data=data)
    return definition


def definition_set_active(
    *, definition: CustomFieldDefinition, actor: Any, active: bool
) -> CustomFieldDefinition:
    """Archive (values stay in the records, hidden and ignored) or restore a definition."""
    model_update(instance=definition, fields=["active"], data={"active": active})
    return definition


def records_with_value(definition: CustomFieldDefinition) -> models.QuerySet | None:
    model = model_for(definition.model)
    if model is None:
        return None
    return model.objects.filter(
        workspace_id=definition.workspace_id, custom_fields__has_key=definition.key
    )


def definition_usage(definition: CustomFieldDefinition) -> int:
    """How many records hold a value for this definition."""
    records = records_with_value(definition)
    return records.count() if records is not None else 0


@transaction.atomic
def definition_delete(
    *, definition: CustomFieldDefinition, actor: Any, clear_values: bool = False
) -> int:
    """Delete a definition. Records holding a value block it unless `clear_values`, which removes
    the values in bulk (audited) first. Returns how many records were cleared."""
    records = records_with_value(definition)
    cleared = 0
    if records is not None and records.exists():
        if not clear_values:
            raise ApplicationError(
                _(
                    "%(count)d records have a value for “%(label)s”; confirm clearing them to delete the field."
                )
                % {"count": records.count(), "label": definition.label},
                code="in_use",
            )
        cleared = _clear_values(records, definition)
    definition.delete()
    return cleared


def _clear_values(records: models.QuerySet, definition: CustomFieldDefinition) -> int:
    key = definition.key
    cleared = 0
    while batch := list(records.order_by("pk")[:CLEAR_BATCH]):
        before = {record.pk: record.custom_fields.get(key) for record in batch}
        for record in batch:
            record.custom_fields = {k: v for k, v in record.custom_fields.items() if k != key}
        type(batch[0]).objects.bulk_update(batch, ["custom_fields"])
        record_bulk(
            batch,
            AuditAction.UPDATE,
            lambda r, before=before: {f"custom_fields.{key}": [before[r.pk], None]},
        )
        cleared += len(batch)
    return cleared


@transaction.atomic
def definitions_reorder(*, workspace: Any, model_label: str, ids: list[str]) -> None:
    """Put the definitions of one record type in the given order (ids not listed go last)."""
    definitions = {
        str(d.pk): d
        for d in CustomFieldDefinition.objects.filter(workspace=workspace, model=model_label)
    }
    ordered = [definitions.pop(i) for i in ids if i in definitions]
    ordered += sorted(definitions.values(), key=lambda d: (d.order, d.pk))
    for position, definition in enumerate(ordered, start=1):
        definition.order = position
    CustomFieldDefinition.objects.bulk_update(ordered, ["order"])


# --- tags ---------------------------------------------------------------------------------
def tag_relations() -> list[tuple[type[models.Model], str]]:
    """(through model, its column pointing at the record) for every model that has tags."""
    relations = []
    for related in Tag._meta.related_objects:
        if related.many_to_many:
            through = related.through
            source = f"{related.related_model._meta.model_name}_id"
            relations.append((through, source))
    return relations


def tag_update(*, tag: Tag, actor: Any, data: dict[str, Any]) -> Tag:
    """Rename, regroup or recolour a tag; every tagged record shows the new name at once."""
    return record_update(instance=tag, fields=TAG_EDITABLE_FIELDS, data=data)


@transaction.atomic
def tag_merge(*, source: Tag, target: Tag, actor: Any) -> int:
    """Move every record tagged `source` to `target`, then delete `source`. Returns how many
    records were retagged."""
    if source.workspace_id != target.workspace_id or source.pk == target.pk:
        raise ApplicationError(_("Choose two different tags of this workspace."), code="invalid")
    moved = 0
    for through, column in tag_relations():
        record_ids = list(through.objects.filter(tag=source).values_list(column, flat=True))
        if not record_ids:
            continue
        through.objects.bulk_create(
            [through(**{column: record_id, "tag_id": target.pk}) for record_id in record_ids],
            ignore_conflicts=True,
        )
        through.objects.filter(tag=source).delete()
        model = through._meta.get_field(column.removesuffix("_id")).related_model
        records = list(model.objects.filter(pk__in=record_ids))
        record_bulk(records, AuditAction.UPDATE, lambda r: {"tags": [[source.name], [target.name]]})
        moved += len(record_ids)
    source.delete()
    return moved


@transaction.atomic
def tag_delete(*, tag: Tag, actor: Any) -> None:
    tag.delete()
