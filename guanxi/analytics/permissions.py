"""Who may read the sales reports and who may set the targets they are measured against.

The reports' figures are scoped like the opportunities behind them: a role sees the totals of
exactly the deals its opportunities read scope shows (reports.visible_deals).
"""

from guanxi.core.permissions import Action, ResourcePolicy, register
from guanxi.workspaces.choices import Role

ALL_ACTIONS = frozenset(Action.values)
READ = frozenset({Action.VIEW, Action.EXPORT})

ANALYTICS_POLICY = register(
    ResourcePolicy(
        resource="analytics",
        label="Sales analytics",
        actions={
            Role.ADMIN: READ,
            Role.MANAGER: READ,
            Role.SALES: READ,
            Role.MARKETING: READ,
            Role.SERVICE: frozenset({Action.VIEW}),
            Role.VIEWER: frozenset({Action.VIEW}),
        },
    )
)

SALES_TARGET_POLICY = register(
    ResourcePolicy(
        resource="sales_targets",
        label="Sales targets",
        actions={
            Role.ADMIN: ALL_ACTIONS,
            Role.MANAGER: ALL_ACTIONS,
            Role.SALES: frozenset({Action.VIEW}),
            Role.MARKETING: frozenset({Action.VIEW}),
            Role.SERVICE: frozenset({Action.VIEW}),
            Role.VIEWER: frozenset({Action.VIEW}),
        },
    )
)
