"""Bulk actions on owned, taggable records: one statement per step and audit rows in bulk."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction

from guanxi.audit.choices import AuditAction
from guanxi.audit.context import audit_suppressed
from guanxi.audit.recording import record_bulk
from guanxi.core.models import OwnedModel, Tag

MAX_BULK_RECORDS = 1000


@transaction.atomic
def records_bulk_assign_owner(*, records: Sequence[OwnedModel], owner) -> int:
    owner_id = owner.pk if owner else None
    changed = [r for r in records if r.owner_id != owner_id]
    if not changed:
        return 0
    before = {r.pk: r.owner_id for r in changed}
    type(changed[0]).objects.filter(pk__in=before).update(owner_id=owner_id)
    after = str(owner_id) if owner_id else None
    record_bulk(
        changed,
        AuditAction.UPDATE,
        lambda r: {"owner": [str(before[r.pk]) if before[r.pk] else None, after]},
    )
    return len(changed)


@transaction.atomic
def records_bulk_tag(
    *, records: Sequence[OwnedModel], tags: Sequence[Tag], remove: bool = False
) -> int:
    """Add (or remove) tags on many records; returns how many records changed."""
    if not records or not tags:
        return 0
    model = type(records[0])
    through = model.tags.through
    source = f"{model._meta.model_name}_id"
    tag_ids = {t.pk for t in tags}
    current: dict = {}
    for record_id, tag_id in through.objects.filter(
        **{f"{source}__in": [r.pk for r in records]}
    ).values_list(source, "tag_id"):
        current.setdefault(record_id, set()).add(tag_id)
    names = {
        t.pk: t.name
        for t in Tag.objects.filter(
            pk__in={*tag_ids, *(i for ids in current.values() for i in ids)}
        )
    }
    if remove:
        changed = [r for r in records if tag_ids & current.get(r.pk, set())]
    else:
        changed = [r for r in records if tag_ids - current.get(r.pk, set())]
    if not changed:
        return 0
    if remove:
        through.objects.filter(
            **{f"{source}__in": [r.pk for r in changed]}, tag_id__in=tag_ids
        ).delete()
    else:
        through.objects.bulk_create(
            [
                through(**{source: r.pk, "tag_id": t})
                for r in changed
                for t in tag_ids - current.get(r.pk, set())
            ],
            ignore_conflicts=True,
        )

    def tag_change(record: OwnedModel) -> dict:
        before = current.get(record.pk, set())
        after = before - tag_ids if remove else before | tag_ids
        return {"tags": [sorted(names[i] for i in before), sorted(names[i] for i in after)]}

    record_bulk(changed, AuditAction.UPDATE, tag_change)
    return len(changed)


@transaction.atomic
def records_bulk_delete(*, records: Sequence[OwnedModel]) -> int:
    if not records:
        return 0
    record_bulk(records, AuditAction.DELETE, lambda r: {"name": [str(r), None]})
    with audit_suppressed():
        type(records[0]).objects.filter(pk__in=[r.pk for r in records]).delete()
    return len(records)
