"""Who may log and change interactions: the customer matrix, plus service may log them."""

from guanxi.companies.permissions import ALL_ACTIONS, CUSTOMER_READ_SCOPE, CUSTOMER_WRITE_SCOPE
from guanxi.core.permissions import Action, ResourcePolicy, Scope, register
from guanxi.workspaces.choices import Role

INTERACTION_POLICY = register(
    ResourcePolicy(
        resource="interactions",
        label="Interactions",
        actions={
            Role.ADMIN: ALL_ACTIONS,
            Role.MANAGER: ALL_ACTIONS,
            Role.SALES: frozenset({Action.VIEW, Action.ADD, Action.CHANGE, Action.EXPORT}),
            Role.MARKETING: frozenset({Action.VIEW, Action.EXPORT}),
            # service logs calls and tickets' conversations, and edits what it logged
            Role.SERVICE: frozenset({Action.VIEW, Action.ADD, Action.CHANGE}),
            Role.VIEWER: frozenset({Action.VIEW}),
        },
        read_scope=CUSTOMER_READ_SCOPE,
        write_scope={**CUSTOMER_WRITE_SCOPE, Role.SERVICE: Scope.OWN},
    )
)
