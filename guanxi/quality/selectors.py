"""Reads of the quality app: candidates the member may see, merge redirects, alias search."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from guanxi.companies.models import CompanyAlias
from guanxi.companies.selectors import company_list
from guanxi.contacts.selectors import contact_list
from guanxi.core.permissions import Action
from guanxi.quality.choices import CandidateStatus, RecordType
from guanxi.quality.models import DuplicateCandidate, MergedRecord
from guanxi.workspaces.models import Membership

MAX_REDIRECT_HOPS = 20
RESOURCE_OF = {RecordType.CONTACT: "contacts", RecordType.COMPANY: "companies"}


def records_of(*, membership: Membership, record_type: str, action: str = Action.VIEW) -> QuerySet:
    """The contacts or companies this member may `action`, through their own selectors."""
    selector = contact_list if record_type == RecordType.CONTACT else company_list
    return selector(membership=membership, action=action).filter(workspace=membership.workspace)


def candidate_list(
    *, membership: Membership, record_type: str, status: str = CandidateStatus.OPEN
) -> QuerySet[DuplicateCandidate]:
    """Pairs where the member may see both records, best score first."""
    visible = records_of(membership=membership, record_type=record_type).order_by().values("pk")
    return DuplicateCandidate.objects.filter(
        workspace=membership.workspace,
        record_type=record_type,
        status=status,
        a_id__in=visible,
        b_id__in=visible,
    ).order_by("-score", "-id")


def merged_survivor_id(*, workspace: Any, record_type: str, old_id: Any) -> Any | None:
    """The record an old id was merged into (following chains), or None."""
    current, seen = old_id, set()
    for _hop in range(MAX_REDIRECT_HOPS):
        row = (
            MergedRecord.objects.filter(
                workspace=workspace, record_type=record_type, old_id=current
            )
            .values_list("survivor_id", flat=True)
            .first()
        )
        if row is None or row in seen:
            break
        seen.add(row)
        current = row
    return current if current != old_id else None


def company_ids_matching_alias(workspace: Any, text: str) -> QuerySet:
    """Ids of the workspace's companies with an alias containing `text` (for company search)."""
    return (
        CompanyAlias.objects.filter(workspace=workspace, name__icontains=text.strip())
        .order_by()
        .values("company_id")
    )
