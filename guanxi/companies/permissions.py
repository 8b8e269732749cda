"""Who may do what with companies; contacts share this matrix (permissions.md)."""

from guanxi.core.permissions import Action, ResourcePolicy, Scope, register
from guanxi.workspaces.choices import Role

ALL_ACTIONS = frozenset(Action.values)
READ_ONLY = frozenset({Action.VIEW})

CUSTOMER_ACTIONS = {
    Role.ADMIN: ALL_ACTIONS,
    Role.MANAGER: ALL_ACTIONS,
    Role.SALES: frozenset({Action.VIEW, Action.ADD, Action.CHANGE, Action.EXPORT}),
    Role.MARKETING: frozenset({Action.VIEW, Action.EXPORT}),
    Role.SERVICE: frozenset({Action.VIEW, Action.CHANGE}),
    Role.VIEWER: READ_ONLY,
}
CUSTOMER_READ_SCOPE = {Role.SALES: Scope.TEAM, Role.MANAGER: Scope.TEAM}
CUSTOMER_WRITE_SCOPE = {Role.SALES: Scope.OWN, Role.MANAGER: Scope.TEAM}

COMPANY_POLICY = register(
    ResourcePolicy(
        resource="companies",
        label="Companies",
        actions=CUSTOMER_ACTIONS,
        read_scope=CUSTOMER_READ_SCOPE,
        write_scope=CUSTOMER_WRITE_SCOPE,
    )
)
