"""Completeness (DQ-2): a weighted share of filled-in fields, stored on each record.

Services call `completeness_update(record)` after every save; bulk writers (import, settings
change) call `completeness_refresh(queryset)`, which computes in memory and writes one UPDATE
per distinct score per batch. `completeness_check(record, purpose=...)` is the gate other
modules (orders…) call before a step that needs a complete customer record.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db import models
from django.utils.translation import gettext as _

from guanxi.core.errors import ApplicationError
from guanxi.quality.choices import RecordType
from guanxi.quality.workspace_settings import quality_settings_for

DEFAULT_WEIGHTS: dict[str, dict[str, int]] = {
    RecordType.CONTACT: {
        "name": 3,
        "mobile": 3,
        "email": 2,
        "company": 2,
        "job_title": 1,
        "city": 1,
        "industry": 1,
        "source": 1,
        "owner": 1,
    },
    RecordType.COMPANY: {
        "name": 3,
        "industry": 2,
        "size": 1,
        "phone": 2,
        "website": 1,
        "province": 1,
        "city": 1,
        "owner": 1,
    },
}
REFRESH_BATCH = 2000


def record_type_of(model: type[models.Model] | models.Model) -> str:
    return model._meta.label_lower


def weights_for(settings: Any, record_type: str) -> dict[str, int]:
    """The workspace's weights for this record type (defaults where none are saved)."""
    saved = (
        settings.contact_weights if record_type == RecordType.CONTACT else settings.company_weights
    )
    defaults = DEFAULT_WEIGHTS[record_type]
    return {name: int(saved.get(name, weight)) for name, weight in defaults.items()}


def _filled(record: models.Model, name: str) -> bool:
    field = record._meta.get_field(name)
    value = getattr(record, field.attname)
    return value not in (None, "", [], {})


def completeness_of(record: models.Model, weights: dict[str, int]) -> tuple[int, list[str]]:
    """(score 0–100, names of the missing weighted fields)."""
    total = sum(weight for weight in weights.values() if weight > 0)
    if not total:
        return 100, []
    missing = [name for name, w in weights.items() if w > 0 and not _filled(record, name)]
    filled = total - sum(weights[name] for name in missing)
    return round(100 * filled / total), missing


def completeness_update(record: models.Model) -> int:
    """Recompute and store one record's score. Saved through the model so the audit event of
    the save that caused it shows the new score (it folds into that event), not a stale 0."""
    score = completeness_score(record)
    if score != record.completeness:
        record.completeness = score
        record.save(update_fields=["completeness"])
    return score


def completeness_score(record: models.Model) -> int:
    """The record's score with its workspace's weights (not stored)."""
    settings = quality_settings_for(record.workspace_id)
    return completeness_of(record, weights_for(settings, record_type_of(record)))[0]


def completeness_refresh(queryset: models.QuerySet) -> int:
    """Recompute the score of every record in `queryset` (one workspace or many); returns how
    many changed. Reads only the weighted fields, in batches; writes grouped by score."""
    model = queryset.model
    record_type = record_type_of(model)
    attnames = [model._meta.get_field(name).attname for name in DEFAULT_WEIGHTS[record_type]]
    weights_by_workspace: dict[Any, dict[str, int]] = {}
    changed = 0
    rows = queryset.order_by().only("pk", "workspace_id", "completeness", *attnames)
    batch: list[models.Model] = []
    for record in rows.iterator(chunk_size=REFRESH_BATCH):
        batch.append(record)
        if len(batch) >= REFRESH_BATCH:
            changed += _write_scores(model, batch, record_type, weights_by_workspace)
            batch = []
    if batch:
        changed += _write_scores(model, batch, record_type, weights_by_workspace)
    return changed


def _write_scores(
    model: type[models.Model], records: list, record_type: str, weights_by_workspace: dict
) -> int:
    by_score: dict[int, list[Any]] = defaultdict(list)
    for record in records:
        if record.workspace_id not in weights_by_workspace:
            settings = quality_settings_for(record.workspace_id)
            weights_by_workspace[record.workspace_id] = weights_for(settings, record_type)
        score, _missing = completeness_of(record, weights_by_workspace[record.workspace_id])
        if score != record.completeness:
            by_score[score].append(record.pk)
    for score, ids in by_score.items():
        model._base_manager.filter(pk__in=ids).update(completeness=score)
    return sum(len(ids) for ids in by_score.values())


def completeness_check(record: models.Model, *, purpose: str) -> None:
    """Refuse `purpose` (e.g. "order submission") when the record is less complete than the
    workspace's threshold. Raises ApplicationError(code="incomplete_record") naming the
    missing fields."""
    settings = quality_settings_for(record.workspace_id)
    score, missing = completeness_of(record, weights_for(settings, record_type_of(record)))
    if score >= settings.completeness_threshold:
        return
    labels = ", ".join(str(record._meta.get_field(name).verbose_name) for name in missing)
    raise ApplicationError(
        _(
            "%(record)s is only %(score)s%% complete; %(threshold)s%% is needed for %(purpose)s. "
            "Fill in: %(missing)s."
        )
        % {
            "record": record,
            "score": score,
            "threshold": settings.completeness_threshold,
            "purpose": purpose,
            "missing": labels,
        },
        code="incomplete_record",
    )
