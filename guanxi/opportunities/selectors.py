"""Reads of pipelines and deals, scoped to the membership's workspace and visibility."""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet

from guanxi.core.permissions import Action, visible_owner_filter
from guanxi.opportunities.models import Opportunity, OpportunityContact, Pipeline, Stage
from guanxi.workspaces.models import Membership


def pipeline_list(*, membership: Membership, action: str = Action.VIEW) -> QuerySet[Pipeline]:
    return (
        Pipeline.objects.for_workspace(membership.workspace)
        .order_by("order", "id")
        .prefetch_related(Prefetch("stages", queryset=Stage.objects.order_by("order", "id")))
    )


def stage_list(*, membership: Membership, action: str = Action.VIEW) -> QuerySet[Stage]:
    return Stage.objects.for_workspace(membership.workspace).select_related("pipeline")


def opportunity_list(*, membership: Membership, action: str = Action.VIEW) -> QuerySet[Opportunity]:
    return (
        Opportunity.objects.for_workspace(membership.workspace)
        .filter(visible_owner_filter(membership, "opportunities", action))
        .select_related("owner", "company", "primary_contact", "pipeline", "stage")
    )


def opportunity_contacts(opportunity: Opportunity) -> QuerySet[OpportunityContact]:
    return opportunity.contact_roles.select_related("contact").order_by("role", "id")


def opportunities_of_record(*, record, membership: Membership) -> QuerySet[Opportunity]:
    """A company's deals, or a contact's (primary contact or in the decision chain)."""
    deals = opportunity_list(membership=membership)
    if record._meta.model_name == "company":
        return deals.filter(company=record)
    # the decision-chain ids first (a few): with `IN (subquery) OR …` PostgreSQL checks a hashed
    # subquery against every deal of the workspace instead of using the two indexes
    in_chain = list(
        OpportunityContact.objects.filter(contact=record).values_list("opportunity_id", flat=True)
    )
    return deals.filter(Q(pk__in=in_chain) | Q(primary_contact=record))
