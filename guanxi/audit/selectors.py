"""Reads of the audit log: the workspace list and one record's history."""

from __future__ import annotations

from django.db.models import Model, QuerySet

from guanxi.audit.models import AuditEvent
from guanxi.audit.recording import object_type_of
from guanxi.workspaces.models import Membership


def audit_event_list(*, membership: Membership, action: str = "view") -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(workspace=membership.workspace).select_related("actor")


def record_history(*, record: Model) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(
        workspace_id=record.workspace_id,
        object_type=object_type_of(type(record)),
        object_id=str(record.pk),
    ).select_related("actor")
