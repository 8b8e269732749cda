"""The lead lineage panel on contact and company pages: the leads a record was converted from
or that match it (one query, capped)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import F, Q

from guanxi.core.panels import Panel
from guanxi.leads.selectors import lead_list

if TYPE_CHECKING:
    from django.db.models import Model
    from django.http import HttpRequest

    from guanxi.workspaces.models import Membership

LEADS_SHOWN = 5


def lead_lineage_data(
    record: Model, membership: Membership, request: HttpRequest
) -> dict[str, Any] | None:
    if record._meta.model_name == "contact":
        condition = Q(converted_contact=record) | Q(matched_contact=record)
    else:
        condition = Q(converted_company=record)
    leads = list(
        lead_list(membership=membership)
        .filter(condition)
        .select_related(None)
        .prefetch_related(None)
        .only("id", "name", "status", "converted_at", "score")
        # not by id: SQLite would walk every lead of the workspace in id order to find these
        .order_by(F("converted_at").desc(nulls_last=True), "-created_at")[: LEADS_SHOWN + 1]
    )
    if not leads:
        return None
    return {"leads": leads[:LEADS_SHOWN], "more": len(leads) > LEADS_SHOWN}


LEAD_LINEAGE_PANEL = Panel(
    name="lead_lineage",
    template="leads/partials/_lineage_panel.html",
    context=lead_lineage_data,
    column="side",
    order=60,
    resource="leads",
)
