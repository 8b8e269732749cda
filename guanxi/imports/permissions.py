"""Who may run imports and exports. Importing also needs `add` (and for upserts `change`) on
the target records; exporting needs the target's own `export` action."""

from guanxi.core.permissions import Action, ResourcePolicy, Scope, register
from guanxi.workspaces.choices import Role

IMPORT_ACTIONS = frozenset({Action.VIEW, Action.ADD, Action.DELETE})

IMPORT_POLICY = register(
    ResourcePolicy(
        resource="imports",
        label="Imports and exports",
        actions={
            Role.ADMIN: IMPORT_ACTIONS,
            Role.MANAGER: IMPORT_ACTIONS,
            Role.SALES: IMPORT_ACTIONS,
            Role.MARKETING: IMPORT_ACTIONS,
            Role.SERVICE: IMPORT_ACTIONS,
            Role.VIEWER: frozenset({Action.VIEW}),
        },
        # jobs hold whole files of personal data: people see their own jobs, admins all
        read_scope={
            Role.MANAGER: Scope.OWN,
            Role.SALES: Scope.OWN,
            Role.MARKETING: Scope.OWN,
            Role.SERVICE: Scope.OWN,
            Role.VIEWER: Scope.OWN,
        },
        write_scope={
            Role.MANAGER: Scope.OWN,
            Role.SALES: Scope.OWN,
            Role.MARKETING: Scope.OWN,
            Role.SERVICE: Scope.OWN,
        },
    )
)
