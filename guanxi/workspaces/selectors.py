"""Reads about workspaces, teams and memberships."""

from __future__ import annotations

import uuid

from django.db.models import QuerySet

from guanxi.workspaces.models import Membership, Team, Workspace


def team_user_ids(team_id: uuid.UUID) -> QuerySet:
    """A subquery of the users in a team, for visibility filters."""
    return Membership.objects.filter(team_id=team_id).values("user_id")


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
