"""Writes of the quality app: merging records, dismissing candidates, settings (DQ-1, DQ-2)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from guanxi.audit.choices import AuditAction
from guanxi.audit.context import audit_suppressed
from guanxi.audit.recording import diff, plain, record_change, snapshot
from guanxi.core.crypto import keyring
from guanxi.core.errors import ApplicationError
from guanxi.core.services import model_update, save_integrity
from guanxi.quality.choices import CandidateStatus, RecordType
from guanxi.quality.completeness import completeness_score
from guanxi.quality.merge import merge_handler_for
from guanxi.quality.models import DuplicateCandidate, MatchKey, MergedRecord, QualitySettings
from guanxi.quality.refresh import record_quality_refresh

CUSTOM_FIELD_PREFIX = "custom_fields."
NOT_MERGED = frozenset({"id", "workspace", "created_at", "updated_at", "custom_fields"})


def mergeable_fields(model: type[models.Model]) -> list[models.Field]:
    """The fields whose value is picked per merge: editable, not derived (blind indexes)."""
    return [
        f
        for f in model._meta.concrete_fields
        if f.editable and f.name not in NOT_MERGED and not f.name.endswith("_index")
    ]


def is_empty(value: Any) -> bool:
    return value in (None, "", [], {})


def default_sources(records: Sequence[models.Model]) -> dict[str, Any]:
    """Per field (and custom field key): the id of the first record with a non-empty value,
    survivor first — what the merge form pre-selects and what unspecified fields get."""
    choices: dict[str, Any] = {}
    for field in mergeable_fields(type(records[0])):
        source = next((r for r in records if not is_empty(getattr(r, field.attname))), records[0])
        choices[field.name] = source.pk
    keys = sorted({key for r in records for key in (r.custom_fields or {})})
    for key in keys:
        source = next(
            (r for r in records if not is_empty((r.custom_fields or {}).get(key))), records[0]
        )
        choices[CUSTOM_FIELD_PREFIX + key] = source.pk
    return choices


@transaction.atomic
def records_merge(
    *,
    workspace: Any,
    survivor: models.Model,
    duplicates: Sequence[models.Model],
    field_choices: dict[str, Any],
    actor: Any,
) -> models.Model:
    """Merge `duplicates` into `survivor`: chosen values per field (`field_choices`: field name
    or "custom_fields.<key>" → id of the record whose value wins; unspecified fields keep the
    survivor's non-empty value), every related row moved, tags united, duplicates deleted,
    their old ids redirecting to the survivor, and ONE audit event ("merge") on the survivor.
    All or nothing."""
    model = type(survivor)
    records = _checked_records(workspace, survivor, duplicates)
    survivor, duplicates = records[0], records[1:]
    by_id = {str(r.pk): r for r in records}
    values, custom = _chosen_values(records, by_id, field_choices)

    before = snapshot(survivor)
    before_m2m = _m2m_names(survivor)
    merged_labels = [f"{r} ({r.pk})" for r in duplicates]  # pk is gone after delete()
    with audit_suppressed():
        moved: dict[str, int] = {}
        for duplicate in duplicates:
            for label, count in _move_related(survivor, duplicate, actor).items():
                moved[label] = moved.get(label, 0) + count
        _record_merged(workspace, survivor, duplicates, actor)
        for duplicate in duplicates:
            duplicate.delete()
        for name, value in values.items():
            setattr(survivor, name, value)
        survivor.custom_fields = custom
        survivor.completeness = completeness_score(survivor)
        survivor.full_clean()
        save_integrity(survivor)
    changes = diff(model, before, snapshot(survivor))
    after_m2m = _m2m_names(survivor)
    changes.update(
        {
            name: [before_m2m[name], names]
            for name, names in after_m2m.items()
            if names != before_m2m[name]
        }
    )
    changes["merged_records"] = [[], merged_labels]
    if moved:
        changes["moved_related"] = [
            [],
            [f"{label}: {count}" for label, count in sorted(moved.items())],
        ]
    record_change(survivor, AuditAction.MERGE, changes)
    record_quality_refresh(survivor)
    return survivor


def _checked_records(
    workspace: Any, survivor: models.Model, duplicates: Sequence[models.Model]
) -> list[models.Model]:
    model = type(survivor)
    if model._meta.label_lower not in RecordType.values:
        raise ApplicationError(
            _("Records of this type cannot be merged."), code="merge_unsupported"
        )
    if not duplicates:
        raise ApplicationError(
            _("Choose at least one other record to merge."), code="merge_nothing"
        )
    ids = [survivor.pk, *(d.pk for d in duplicates)]
    if any(type(d) is not model for d in duplicates):
        raise ApplicationError(
            _("Only records of the same type can be merged."), code="merge_mixed"
        )
    if len(set(ids)) != len(ids):
        raise ApplicationError(_("A record cannot be merged with itself."), code="merge_self")
    # lock in a fixed order so two merges of overlapping records cannot deadlock
    locked = {
        r.pk: r
        for r in model._default_manager.select_for_update()
        .filter(workspace=workspace, pk__in=ids)
        .order_by("pk")
    }
    if len(locked) != len(ids):
        raise ApplicationError(
            _("Some of these records do not exist (any more) in this workspace."),
            code="not_found",
        )
    return [locked[pk] for pk in ids]


def _chosen_values(
    records: list[models.Model], by_id: dict[str, models.Model], field_choices: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    model = type(records[0])
    fields = {f.name: f for f in mergeable_fields(model)}
    choices = default_sources(records)
    errors: dict[str, str] = {}
    for name, source_id in field_choices.items():
        if name not in fields and not name.startswith(CUSTOM_FIELD_PREFIX):
            errors[name] = _("This field cannot be chosen in a merge.")
        elif str(source_id) not in by_id:
            errors[name] = _("Choose the value of one of the merged records.")
        else:
            choices[name] = by_id[str(source_id)].pk
    if errors:
        raise ValidationError(errors)
    values = {
        field.attname: getattr(by_id[str(choices[name])], field.attname)
        for name, field in fields.items()
    }
    custom = {}
    for name, source_id in choices.items():
        if name.startswith(CUSTOM_FIELD_PREFIX):
            key = name.removeprefix(CUSTOM_FIELD_PREFIX)
            value = (by_id[str(source_id)].custom_fields or {}).get(key)
            if not is_empty(value):
                custom[key] = value
    return values, custom


def _m2m_names(record: models.Model) -> dict[str, list[str]]:
    return {
        f.name: sorted(str(item) for item in getattr(record, f.name).all())
        for f in record._meta.many_to_many
    }


def _move_related(survivor: models.Model, duplicate: models.Model, actor: Any) -> dict[str, int]:
    """Point every row that references `duplicate` at `survivor`; returns counts per model."""
    moved: dict[str, int] = {}
    for field in survivor._meta.many_to_many:
        items = list(getattr(duplicate, field.name).all())
        if items:
            getattr(survivor, field.name).add(*items)
    for relation in survivor._meta.related_objects:
        related = relation.related_model
        label = str(related._meta.verbose_name_plural)
        handler = merge_handler_for(related)
        if handler is not None:
            handler(survivor, duplicate, actor)
            continue
        if relation.many_to_many:
            count = _move_m2m_rows(relation, survivor, duplicate)
        elif relation.one_to_one:
            count = _move_one_to_one(relation, survivor, duplicate)
        else:
            count = _repoint(related, relation.field.name, survivor, duplicate)
        if count:
            moved[label] = count
    return moved


def _repoint(related: type[models.Model], name: str, survivor: Any, duplicate: Any) -> int:
    try:
        with transaction.atomic():
            return related._base_manager.filter(**{name: duplicate}).update(**{name: survivor})
    except IntegrityError as exc:
        raise ApplicationError(
            _(
                "The %(related)s of “%(record)s” cannot be moved to the surviving record: "
                "both have one with the same unique value."
            )
            % {"related": related._meta.verbose_name_plural, "record": duplicate},
            code="merge_conflict",
        ) from exc


def _move_one_to_one(relation: Any, survivor: Any, duplicate: Any) -> int:
    manager = relation.related_model._base_manager
    name = relation.field.name
    if not manager.filter(**{name: duplicate}).exists():
        return 0
    if manager.filter(**{name: survivor}).exists():
        raise ApplicationError(
            _(
                "Both records have a %(related)s and they cannot be combined automatically; "
                "resolve one of them first."
            )
            % {"related": relation.related_model._meta.verbose_name},
            code="merge_conflict",
        )
    return manager.filter(**{name: duplicate}).update(**{name: survivor})


def _move_m2m_rows(relation: Any, survivor: Any, duplicate: Any) -> int:
    """The reverse side of a many-to-many declared on another model: unite the links."""
    through = relation.through._base_manager
    ours = relation.field.m2m_reverse_field_name()
    theirs = relation.field.m2m_field_name()
    linked = through.filter(**{ours: survivor}).values(f"{theirs}_id")
    through.filter(**{ours: duplicate, f"{theirs}_id__in": linked}).delete()
    return through.filter(**{ours: duplicate}).update(**{ours: survivor})


def _record_merged(
    workspace: Any, survivor: models.Model, duplicates: Sequence[models.Model], actor: Any
) -> None:
    record_type = survivor._meta.label_lower
    duplicate_ids = [d.pk for d in duplicates]
    # earlier merges into a duplicate now lead straight to the survivor
    MergedRecord.objects.filter(
        workspace=workspace, record_type=record_type, survivor_id__in=duplicate_ids
    ).update(survivor_id=survivor.pk)
    MergedRecord.objects.bulk_create(
        MergedRecord(
            workspace=workspace,
            record_type=record_type,
            old_id=d.pk,
            survivor_id=survivor.pk,
            merged_by=actor if getattr(actor, "pk", None) else None,
            snapshot=merge_snapshot(d),
        )
        for d in duplicates
    )
    pairs = DuplicateCandidate.objects.filter(workspace=workspace, record_type=record_type)
    involving = Q(a_id__in=duplicate_ids) | Q(b_id__in=duplicate_ids)
    with_survivor = Q(a_id=survivor.pk) | Q(b_id=survivor.pk)
    pairs.filter(involving & with_survivor).update(status=CandidateStatus.MERGED)
    pairs.filter(involving).exclude(with_survivor).delete()
    MatchKey.objects.filter(
        workspace=workspace, record_type=record_type, record_id__in=duplicate_ids
    ).delete()


def merge_snapshot(record: models.Model) -> dict[str, Any]:
    """The merged record's values as JSON; personal fields stay encrypted at rest."""
    masks = getattr(type(record), "audit_masks", {})
    values = {name: plain(value) for name, value in snapshot(record).items()}
    for name in masks:
        if values.get(name):
            values[name] = keyring().encrypt(str(values[name]))
    return {
        "fields": values,
        "encrypted": sorted(name for name in masks if values.get(name)),
        "m2m": _m2m_names(record),
        "repr": str(record),
    }


# --- candidates and settings ---------------------------------------------------------------
@transaction.atomic
def candidate_dismiss(*, candidate: DuplicateCandidate, actor: Any) -> DuplicateCandidate:
    """ "Not a duplicate": the pair stays dismissed on every later scan."""
    candidate.status = CandidateStatus.DISMISSED
    candidate.save(update_fields=["status", "updated_at"])
    return candidate


SETTINGS_FIELDS = (
    "duplicate_threshold",
    "completeness_threshold",
    "contact_weights",
    "company_weights",
)


@transaction.atomic
def quality_settings_update(*, workspace: Any, actor: Any, data: dict[str, Any]) -> QualitySettings:
    """Save the workspace's settings; a change of weights recomputes every score (in a job)."""
    settings, _created = QualitySettings.objects.get_or_create(workspace=workspace)
    before = (settings.contact_weights, settings.company_weights)
    model_update(instance=settings, fields=SETTINGS_FIELDS, data=data)
    if (settings.contact_weights, settings.company_weights) != before or _created:
        from guanxi.quality.tasks import completeness_recompute_task

        workspace_id = workspace.pk
        transaction.on_commit(lambda: completeness_recompute_task(str(workspace_id)))
    return settings
