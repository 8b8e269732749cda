"""Who may use the data-quality tools. Merging also needs delete rights on the records merged."""

from guanxi.core.permissions import Action, ResourcePolicy, register
from guanxi.workspaces.choices import Role

REVIEW = frozenset({Action.VIEW, Action.CHANGE})
LOOK = frozenset({Action.VIEW})

QUALITY_POLICY = register(
    ResourcePolicy(
        resource="quality",
        label="Data quality (duplicates, merge)",
        actions={
            Role.ADMIN: REVIEW,
            Role.MANAGER: REVIEW,
            Role.SALES: LOOK,
            Role.MARKETING: LOOK,
            Role.SERVICE: LOOK,
        },
    )
)
QUALITY_SETTINGS_POLICY = register(
    ResourcePolicy(
        resource="quality_settings",
        label="Data quality settings",
        actions={Role.ADMIN: REVIEW},
    )
)
