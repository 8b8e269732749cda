"""Who may do what with leads: the customer matrix, plus marketing may capture leads."""

from guanxi.companies.permissions import ALL_ACTIONS, CUSTOMER_READ_SCOPE, CUSTOMER_WRITE_SCOPE
from guanxi.core.permissions import Action, ResourcePolicy, Scope, register
from guanxi.workspaces.choices import Role

LEAD_ACTIONS = {
    Role.ADMIN: ALL_ACTIONS,
    Role.MANAGER: ALL_ACTIONS,
    Role.SALES: frozenset({Action.VIEW, Action.ADD, Action.CHANGE, Action.EXPORT}),
    # marketing generates leads (campaigns, forms) and hands them over
    Role.MARKETING: frozenset({Action.VIEW, Action.ADD, Action.EXPORT}),
    Role.SERVICE: frozenset({Action.VIEW}),
    Role.VIEWER: frozenset({Action.VIEW}),
}

LEAD_POLICY = register(
    ResourcePolicy(
        resource="leads",
        label="Leads",
        actions=LEAD_ACTIONS,
        read_scope={**CUSTOMER_READ_SCOPE, Role.SERVICE: Scope.TEAM},
        write_scope=CUSTOMER_WRITE_SCOPE,
    )
)

# the scoring model and the web form are workspace settings
LEAD_SETTINGS_POLICY = register(
    ResourcePolicy(
        resource="lead_settings",
        label="Lead scoring and web form",
        actions={
            Role.ADMIN: frozenset({Action.VIEW, Action.CHANGE}),
            Role.MANAGER: frozenset({Action.VIEW}),
            Role.MARKETING: frozenset({Action.VIEW}),
        },
    )
)
