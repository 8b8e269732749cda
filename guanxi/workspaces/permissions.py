"""Workspace-level permissions: administration, audit access and sensitive-field visibility."""

from guanxi.core.permissions import ResourcePolicy, register
from guanxi.workspaces.choices import Role

MANAGE = "manage"
VIEW_SENSITIVE = "view_sensitive"

WORKSPACE_POLICY = register(
    ResourcePolicy(
        resource="workspace",
        label="Workspace (members and teams, sensitive fields)",
        actions={
            Role.ADMIN: frozenset({MANAGE, VIEW_SENSITIVE}),
            Role.MANAGER: frozenset({VIEW_SENSITIVE}),
            Role.SALES: frozenset({VIEW_SENSITIVE}),
            Role.SERVICE: frozenset({VIEW_SENSITIVE}),
            Role.MARKETING: frozenset(),
            Role.VIEWER: frozenset(),
        },
    )
)


def can_view_sensitive(role: str) -> bool:
    return WORKSPACE_POLICY.allows(role, VIEW_SENSITIVE)


def can_manage_workspace(role: str) -> bool:
    return WORKSPACE_POLICY.allows(role, MANAGE)
