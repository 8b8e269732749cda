"""Stagnation alerts: a deal longer in its stage than the stage allows gets a task for its owner.

One task per deal per stage entry (the task's dedupe key names the entry), so the periodic job
can run any number of times. The badge on cards and pages is computed from the same setting.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from guanxi.audit.choices import AuditSource
from guanxi.audit.context import audit_context
from guanxi.opportunities.choices import OpportunityStatus, StageKind
from guanxi.opportunities.models import Opportunity, Stage

# deals handled per stage and run; the next run continues with the rest
BATCH_SIZE = 2000


def stagnation_key(deal: Opportunity) -> str:
    return f"stagnation:{deal.pk}:{deal.stage_entered_at.timestamp():.6f}"


def stagnant_deals(stage: Stage, now: datetime):
    cutoff = now - timedelta(days=stage.stagnation_days)
    return (
        Opportunity.objects.filter(
            workspace_id=stage.workspace_id,
            stage=stage,
            status=OpportunityStatus.OPEN,
            stage_entered_at__lte=cutoff,
        )
        .select_related("workspace")
        .order_by("stage_entered_at", "id")
    )


def stagnation_alerts_create(*, now: datetime | None = None) -> int:
    """Create the missing stagnation tasks of every workspace; returns how many were created."""
    from guanxi.tasks.choices import TaskPriority
    from guanxi.tasks.models import Task
    from guanxi.tasks.services import task_create

    now = now or timezone.now()
    created = 0
    stages = Stage.objects.filter(stagnation_days__isnull=False, kind=StageKind.OPEN)
    with audit_context(source=AuditSource.JOB):
        for stage in stages.select_related("workspace").order_by("workspace_id", "order"):
            deals = list(stagnant_deals(stage, now)[:BATCH_SIZE])
            keys = {stagnation_key(deal): deal for deal in deals}
            done = set(
                Task.objects.filter(
                    workspace_id=stage.workspace_id, dedupe_key__in=list(keys)
                ).values_list("dedupe_key", flat=True)
            )
            with translation.override(stage.workspace.language):
                for key, deal in keys.items():
                    if key in done:
                        continue
                    days = (now - deal.stage_entered_at).days
                    task_create(
                        workspace=stage.workspace,
                        actor=None,
                        dedupe_key=key,
                        owner=deal.owner,
                        opportunity=deal,
                        title=_("Deal “%(deal)s” has been in “%(stage)s” for %(days)s days")
                        % {"deal": deal.name[:100], "stage": stage.name, "days": days},
                        description=_(
                            "The stage expects a deal to move on within %(limit)s days. "
                            "Follow up, update the deal, or move it to the right stage."
                        )
                        % {"limit": stage.stagnation_days},
                        priority=TaskPriority.HIGH,
                        due_at=now + timedelta(days=1),
                    )
                    created += 1
    return created
