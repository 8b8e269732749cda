"""The one accepted use of signals: every save/delete/tag change of an audited model is logged."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import m2m_changed, post_delete, post_init, post_save

from guanxi.audit.choices import AuditAction
from guanxi.audit.context import snapshots_wanted
from guanxi.audit.recording import diff, is_audited, record_change, snapshot

M2M_BEFORE = "_audit_m2m_before"


def on_post_init(sender: type, instance: Any, **kwargs: Any) -> None:
    if is_audited(sender) and snapshots_wanted():
        # Model.from_db() sets _state.adding = False only after __init__ (and so after this
        # signal): snapshot every instance; a create diffs against {} in on_post_save anyway
        instance._audit_snapshot = snapshot(instance)


def on_post_save(
    sender: type, instance: Any, created: bool, raw: bool = False, **kwargs: Any
) -> None:
    if raw or not is_audited(sender):
        return
    after = snapshot(instance)
    before = {} if created else getattr(instance, "_audit_snapshot", {})
    changes = diff(sender, before, {k: v for k, v in after.items() if created or k in before})
    record_change(instance, AuditAction.CREATE if created else AuditAction.UPDATE, changes)
    instance._audit_snapshot = after


def on_post_delete(sender: type, instance: Any, **kwargs: Any) -> None:
    if is_audited(sender):
        before = getattr(instance, "_audit_snapshot", None) or snapshot(instance)
        record_change(instance, AuditAction.DELETE, diff(sender, before, dict.fromkeys(before)))


def m2m_names(instance: Any, attribute: str) -> list[str]:
    return sorted(str(item) for item in getattr(instance, attribute).all())


def on_m2m_changed(sender: type, instance: Any, action: str, reverse: bool, **kwargs: Any) -> None:
    if reverse or not is_audited(type(instance)):
        return
    attribute = next(
        (f.name for f in type(instance)._meta.many_to_many if f.remote_field.through is sender),
        None,
    )
    if attribute is None:
        return
    if action.startswith("pre_"):
        setattr(
            instance,
            M2M_BEFORE,
            {**getattr(instance, M2M_BEFORE, {}), attribute: m2m_names(instance, attribute)},
        )
    elif action.startswith("post_"):
        before = getattr(instance, M2M_BEFORE, {}).get(attribute, [])
        after = m2m_names(instance, attribute)
        if before != after:
            record_change(instance, AuditAction.UPDATE, {attribute: [before, after]})


def connect() -> None:
    post_init.connect(on_post_init, dispatch_uid="audit_post_init")
    post_save.connect(on_post_save, dispatch_uid="audit_post_save")
    post_delete.connect(on_post_delete, dispatch_uid="audit_post_delete")
    m2m_changed.connect(on_m2m_changed, dispatch_uid="audit_m2m_changed")
