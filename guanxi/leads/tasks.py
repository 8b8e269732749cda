"""Jobs of the leads app: re-scoring every lead after the scoring model changed (idempotent)."""

from __future__ import annotations

from huey.contrib.djhuey import db_task

from guanxi.audit.context import audit_context
from guanxi.leads.rescoring import leads_rescore_all

RESCORE_BATCH = 2000


@db_task()
def leads_rescore(workspace_id: str) -> int:
    with audit_context(source="job"):
        return leads_rescore_all(workspace_id=workspace_id, batch_size=RESCORE_BATCH)
