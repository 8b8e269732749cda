"""Only administrators read the workspace-wide audit log; record pages show their own history."""

from guanxi.core.permissions import Action, ResourcePolicy, register
from guanxi.workspaces.choices import Role

AUDIT_POLICY = register(
    ResourcePolicy(
        resource="audit",
        label="Audit log",
        actions={Role.ADMIN: frozenset({Action.VIEW, Action.EXPORT})},
    )
)
