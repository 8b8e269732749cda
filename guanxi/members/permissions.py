"""Who may do what with members, their transactions and points (permissions.md).

A member is seen and changed by whoever may see and change its contact: the scopes below
are applied to the contact's owner (members.selectors).
"""

from guanxi.core.permissions import Action, ResourcePolicy, Scope, register
from guanxi.workspaces.choices import Role

# set or take points by hand (redeeming is an ordinary change)
ADJUST_POINTS = "adjust_points"

ALL_ACTIONS = frozenset({*Action.values, ADJUST_POINTS})

MEMBER_POLICY = register(
    ResourcePolicy(
        resource="members",
        label="Members, transactions and points",
        actions={
            Role.ADMIN: ALL_ACTIONS,
            Role.MANAGER: ALL_ACTIONS,
            Role.SALES: frozenset({Action.VIEW, Action.ADD, Action.CHANGE, Action.EXPORT}),
            Role.SERVICE: frozenset({Action.VIEW, Action.ADD, Action.CHANGE}),
            Role.MARKETING: frozenset({Action.VIEW, Action.EXPORT}),
            Role.VIEWER: frozenset({Action.VIEW}),
        },
        read_scope={Role.SALES: Scope.TEAM, Role.MANAGER: Scope.TEAM},
        write_scope={Role.SALES: Scope.OWN, Role.MANAGER: Scope.TEAM},
    )
)
