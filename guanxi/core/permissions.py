"""The permission matrix: which role may do what with each resource, and which records it sees.

Each app declares its `ResourcePolicy` in its own permissions.py; `docs/permissions.md` is
rendered from this registry (`python -m guanxi permissions_doc`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from guanxi.workspaces.models import Membership


class Action(models.TextChoices):
    VIEW = "view", _("view")
    ADD = "add", _("add")
    CHANGE = "change", _("change")
    DELETE = "delete", _("delete")
    EXPORT = "export", _("export")


class Scope(models.TextChoices):
    OWN = "own", _("own records")
    TEAM = "team", _("own team's records")
    ALL = "all", _("all records")


READ_ACTIONS = frozenset({Action.VIEW, Action.EXPORT})


@dataclass(frozen=True)
class ResourcePolicy:
    """What each role may do with one resource; roles not listed may do nothing."""

    resource: str
    label: str
    actions: dict[str, frozenset[str]]
    read_scope: dict[str, str] = field(default_factory=dict)
    write_scope: dict[str, str] = field(default_factory=dict)

    def allows(self, role: str, action: str) -> bool:
        return action in self.actions.get(role, frozenset())

    def scope_for(self, role: str, action: str) -> str:
        scopes = self.read_scope if action in READ_ACTIONS else self.write_scope
        return scopes.get(role, Scope.ALL)


REGISTRY: dict[str, ResourcePolicy] = {}


def register(policy: ResourcePolicy) -> ResourcePolicy:
    REGISTRY[policy.resource] = policy
    return policy


def policy_for(resource: str) -> ResourcePolicy:
    return REGISTRY[resource]


def role_can(role: str, resource: str, action: str) -> bool:
    return policy_for(resource).allows(role, action)


def visible_owner_filter(membership: Membership, resource: str, action: str) -> Q:
    """The Q that limits owned records to what this membership may see or change.

    Unowned records (owner empty) are the team's shared pool: visible to team scope.
    """
    scope = policy_for(resource).scope_for(membership.role, action)
    if scope == Scope.ALL:
        return Q()
    if scope == Scope.OWN or membership.team_id is None:
        return Q(owner_id=membership.user_id)
    from guanxi.workspaces.selectors import team_user_ids

    return Q(owner_id__in=team_user_ids(membership.team_id)) | Q(owner__isnull=True)
