"""Set-based re-scoring of a workspace's leads: read a batch, score in memory, write the changes
with one bulk update and one bulk insert of history rows per batch."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from guanxi.leads.choices import LeadStatus
from guanxi.leads.models import Lead, ScoreHistory
from guanxi.leads.scoring import score_lead, scoring_input_fields


def leads_rescore_all(*, workspace_id: Any, batch_size: int = 2000) -> int:
    """Re-score every not-yet-converted lead; returns how many changed. Running it twice changes
    nothing the second time."""
    from guanxi.leads.services import scoring_model_for

    model = scoring_model_for(workspace_id)
    inputs = scoring_input_fields(model.criteria)
    columns = ["id", "workspace_id", "score", "score_stage", *sorted(inputs)]
    leads = (
        Lead.objects.filter(workspace_id=workspace_id)
        .exclude(status=LeadStatus.CONVERTED)
        .only(*columns)
        .order_by("id")
    )
    changed = 0
    last = None
    while True:
        page = leads.filter(id__gt=last) if last else leads
        batch = list(page[:batch_size])
        if not batch:
            return changed
        last = batch[-1].pk
        updates, history = [], []
        for lead in batch:
            result = score_lead(
                lead, criteria=model.criteria, mql=model.mql_threshold, sql=model.sql_threshold
            )
            if (result.score, result.stage) == (lead.score, lead.score_stage):
                continue
            lead.score, lead.score_stage = result.score, result.stage
            updates.append(lead)
            history.append(
                ScoreHistory(
                    workspace_id=workspace_id,
                    lead=lead,
                    score=result.score,
                    stage=result.stage,
                    breakdown=result.breakdown(),
                )
            )
        with transaction.atomic():
            Lead.objects.bulk_update(updates, ["score", "score_stage"])
            ScoreHistory.objects.bulk_create(history)
        changed += len(updates)
