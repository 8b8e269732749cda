"""Reads about workspaces, teams and memberships."""

from __future__ import annotations

import uuid

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from guanxi.companies.selectors import company_list
from guanxi.contacts.selectors import contact_list
from guanxi.core.permissions import Action, role_can
from guanxi.workspaces.models import Membership, Team, Workspace

# the home page counts up to here and then says "10,000+": exact counts of huge tables are slow
HOME_COUNT_CAP = 10_000


def team_user_ids(team_id: uuid.UUID) -> QuerySet:
    """A subquery of the users in a team, for visibility filters."""
    return Membership.objects.filter(team_id=team_id).values("user_id")


def owner_is_active_member() -> Exists:
    """Rows whose owner is still an active member of the row's workspace: whom a job may notify."""
    return Exists(
        Membership.objects.filter(
            user_id=OuterRef("owner_id"), workspace_id=OuterRef("workspace_id"), is_active=True
        )
    )


def membership_for(*, user, workspace_id: uuid.UUID | str | None) -> Membership | None:
    """The user's active membership of that workspace, or of their first workspace."""
    active = Membership.objects.select_related("workspace", "team").filter(
        user=user, is_active=True
    )
    if workspace_id:
        found = active.filter(workspace_id=workspace_id).first()
        if found:
            return found
    return active.order_by("created_at").first()


def workspaces_of(*, user) -> QuerySet[Workspace]:
    return Workspace.objects.filter(memberships__user=user, memberships__is_active=True).order_by(
        "name"
    )


def member_list(*, workspace: Workspace) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(workspace=workspace)
        .select_related("user", "team")
        .order_by("user__username")
    )


def team_list(*, workspace: Workspace) -> QuerySet[Team]:
    return Team.objects.filter(workspace=workspace).order_by("name")


def team_overview(*, workspace: Workspace) -> QuerySet[Team]:
    """The teams with how many active members each has."""
    return team_list(workspace=workspace).annotate(
        member_count=Count("memberships", filter=Q(memberships__is_active=True))
    )


def home_counts(membership: Membership) -> dict[str, int | None]:
    """Companies and contacts this member may see (capped); None where the role sees none."""
    selectors = {"companies": company_list, "contacts": contact_list}
    return {
        resource: selector(membership=membership).order_by()[:HOME_COUNT_CAP].count()
        if role_can(membership.role, resource, Action.VIEW)
        else None
        for resource, selector in selectors.items()
    }
