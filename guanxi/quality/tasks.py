"""Background jobs of the quality app: thin, idempotent, taking ids."""

from __future__ import annotations

from huey.contrib.djhuey import db_task

from guanxi.audit.choices import AuditSource
from guanxi.audit.context import audit_context
from guanxi.companies.models import Company
from guanxi.contacts.models import Contact
from guanxi.quality.choices import RecordType
from guanxi.quality.completeness import completeness_refresh
from guanxi.quality.detection import duplicate_scan
from guanxi.workspaces.models import Workspace


@db_task()
def duplicate_scan_task(workspace_id: str, record_type: str) -> int:
    """Rescan one record type of a workspace; running it twice gives the same candidates."""
    workspace = Workspace.objects.filter(pk=workspace_id).first()
    if workspace is None or record_type not in RecordType.values:
        return 0
    with audit_context(source=AuditSource.JOB):
        return duplicate_scan(workspace=workspace, record_type=record_type).candidates


@db_task()
def completeness_recompute_task(workspace_id: str) -> int:
    """Recompute every contact's and company's completeness after the weights changed."""
    with audit_context(source=AuditSource.JOB):
        return sum(
            completeness_refresh(model.objects.filter(workspace_id=workspace_id))
            for model in (Contact, Company)
        )
