"""The "Opportunities" panel on contact and company pages (core.panels): two queries."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Count, Q, Sum
from django.urls import reverse
from django.utils.http import urlencode

from guanxi.core.panels import Panel
from guanxi.core.permissions import Action, role_can
from guanxi.opportunities.choices import OpportunityStatus
from guanxi.opportunities.selectors import opportunities_of_record

if TYPE_CHECKING:
    from django.db.models import Model
    from django.http import HttpRequest

    from guanxi.workspaces.models import Membership

DEALS_SHOWN = 10


def opportunities_panel(
    record: Model, membership: Membership, request: HttpRequest
) -> dict[str, Any]:
    deals = opportunities_of_record(record=record, membership=membership)
    shown = list(
        deals.select_related(None)
        .select_related("stage", "owner")
        .order_by("-id")[: DEALS_SHOWN + 1]
    )
    totals = deals.order_by().aggregate(
        count=Count("id"),
        open_amount=Sum("amount", filter=Q(status=OpportunityStatus.OPEN)),
        won_amount=Sum("amount", filter=Q(status=OpportunityStatus.WON)),
    )
    model_name = record._meta.model_name
    new_url = ""
    if role_can(membership.role, "opportunities", Action.ADD):
        new_url = f"{reverse('opportunities:create')}?{urlencode({model_name: record.pk})}"
    list_url = ""
    if model_name == "company":
        list_url = f"{reverse('opportunities:list')}?{urlencode({'company': record.pk})}"
    return {
        "deals": shown[:DEALS_SHOWN],
        "more": len(shown) > DEALS_SHOWN,
        "totals": totals,
        "new_url": new_url,
        "list_url": list_url,
    }


OPPORTUNITIES_PANEL = Panel(
    name="opportunities",
    template="opportunities/panels/_opportunities.html",
    context=opportunities_panel,
    column="main",
    order=15,
    resource="opportunities",
)
