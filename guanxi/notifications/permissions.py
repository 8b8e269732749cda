"""Everyone reads and marks their own notifications; nobody sees anyone else's (selectors)."""

from guanxi.core.permissions import Action, ResourcePolicy, register
from guanxi.workspaces.choices import Role

OWN_INBOX = frozenset({Action.VIEW, Action.CHANGE})

NOTIFICATION_POLICY = register(
    ResourcePolicy(
        resource="notifications",
        label="Notifications",
        actions={role: OWN_INBOX for role in Role.values},
    )
)
