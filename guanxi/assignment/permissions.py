"""Assignment rules are workspace configuration: admins edit them, managers may read them."""

from guanxi.core.permissions import Action, ResourcePolicy, register
from guanxi.workspaces.choices import Role

ASSIGNMENT_POLICY = register(
    ResourcePolicy(
        resource="assignment",
        label="Assignment rules",
        actions={
            Role.ADMIN: frozenset({Action.VIEW, Action.ADD, Action.CHANGE, Action.DELETE}),
            Role.MANAGER: frozenset({Action.VIEW}),
        },
    )
)
