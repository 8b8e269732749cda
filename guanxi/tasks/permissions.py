"""Who may see and change tasks: everyone works their own; managers see and steer their team."""

from guanxi.core.permissions import Action, ResourcePolicy, Scope, register
from guanxi.workspaces.choices import Role

ALL_ACTIONS = frozenset(Action.values)
OWN_WORK = frozenset({Action.VIEW, Action.ADD, Action.CHANGE, Action.DELETE, Action.EXPORT})

TASK_POLICY = register(
    ResourcePolicy(
        resource="tasks",
        label="Tasks",
        actions={
            Role.ADMIN: ALL_ACTIONS,
            Role.MANAGER: ALL_ACTIONS,
            Role.SALES: OWN_WORK,
            Role.MARKETING: OWN_WORK,
            Role.SERVICE: OWN_WORK,
            Role.VIEWER: frozenset({Action.VIEW}),
        },
        # colleagues see each other's tasks (team tasks); each changes only their own;
        # viewers read everything, as they do customers
        read_scope={
            Role.MANAGER: Scope.TEAM,
            Role.SALES: Scope.TEAM,
            Role.MARKETING: Scope.TEAM,
            Role.SERVICE: Scope.TEAM,
        },
        write_scope={
            Role.MANAGER: Scope.TEAM,
            Role.SALES: Scope.OWN,
            Role.MARKETING: Scope.OWN,
            Role.SERVICE: Scope.OWN,
        },
    )
)
