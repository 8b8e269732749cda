"""Timeline source "deal" on contacts and companies: deals created, moved, won and lost."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Model
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guanxi.core.timeline import TimelineEntry, TimelineSource
from guanxi.opportunities.choices import StageKind
from guanxi.opportunities.models import StageHistory
from guanxi.opportunities.selectors import opportunities_of_record
from guanxi.workspaces.models import Membership

KIND_COLOURS = {StageKind.WON: "green", StageKind.LOST: "red"}


def deal_entries(
    record: Model, membership: Membership, before: datetime | None, limit: int
) -> list[TimelineEntry]:
    """Every stage entry of the record's visible deals (the first one is the deal's creation).

    The record's deals are read first (a few ids through the company / contact indexes): a
    join from the history would let the database walk every stage entry of the workspace in
    time order looking for the record's.
    """
    deal_ids = list(
        opportunities_of_record(record=record, membership=membership)
        .select_related(None)
        .order_by()
        .values_list("pk", flat=True)
    )
    if not deal_ids:
        return []
    rows = StageHistory.objects.filter(
        workspace_id=record.workspace_id, opportunity_id__in=deal_ids
    ).select_related("opportunity", "to_stage", "from_stage", "actor")
    if before is not None:
        rows = rows.filter(entered_at__lt=before)
    return [_entry(row) for row in rows.order_by("-entered_at", "-id")[:limit]]


def _entry(row: StageHistory) -> TimelineEntry:
    deal = row.opportunity
    stage = row.to_stage
    if row.from_stage_id is None:
        title = _("Deal “%(deal)s” created in “%(stage)s”")
    elif stage.kind == StageKind.WON:
        title = _("Deal “%(deal)s” won (“%(stage)s”)")
    elif stage.kind == StageKind.LOST:
        title = _("Deal “%(deal)s” lost")
    else:
        title = _("Deal “%(deal)s” moved to “%(stage)s”")
    body = ""
    if row.from_stage_id is not None:
        body = _("From “%(from)s”") % {"from": row.from_stage.name}
    return TimelineEntry(
        at=row.entered_at,
        kind="deal",
        title=title % {"deal": deal.name, "stage": stage.name},
        body=body,
        url=deal.get_absolute_url(),
        actor=str(row.actor or ""),
        colour=KIND_COLOURS.get(stage.kind, "blue"),
        extra={"badges": [f"{deal.amount:,.2f} {deal.currency}"]},
    )


DEAL_SOURCE = TimelineSource(
    kind="deal", label=gettext_lazy("Deals"), fetch=deal_entries, resource="opportunities"
)
