"""Who may see and manage custom field definitions and the workspace's tags."""

from guanxi.core.permissions import Action, ResourcePolicy, register
from guanxi.workspaces.choices import Role

ALL_ACTIONS = frozenset(Action.values)
READ_ONLY = frozenset({Action.VIEW})

# every role reads the definitions (forms and API clients need them); admins change them
CUSTOM_FIELD_POLICY = register(
    ResourcePolicy(
        resource="custom_fields",
        label="Custom field definitions",
        actions={
            Role.ADMIN: ALL_ACTIONS,
            Role.MANAGER: READ_ONLY,
            Role.SALES: READ_ONLY,
            Role.MARKETING: READ_ONLY,
            Role.SERVICE: READ_ONLY,
            Role.VIEWER: READ_ONLY,
        },
    )
)

# renaming, merging and deleting tags changes every tagged record: admins and managers
TAG_POLICY = register(
    ResourcePolicy(
        resource="tags",
        label="Tags (rename, merge, delete)",
        actions={
            Role.ADMIN: ALL_ACTIONS,
            Role.MANAGER: ALL_ACTIONS,
            Role.SALES: READ_ONLY,
            Role.MARKETING: READ_ONLY,
            Role.SERVICE: READ_ONLY,
            Role.VIEWER: READ_ONLY,
        },
    )
)
