"""Who may do what with deals (the customer matrix) and with pipelines (admins configure them)."""

from guanxi.companies.permissions import (
    ALL_ACTIONS,
    CUSTOMER_ACTIONS,
    CUSTOMER_READ_SCOPE,
    CUSTOMER_WRITE_SCOPE,
    READ_ONLY,
)
from guanxi.core.permissions import ResourcePolicy, register
from guanxi.workspaces.choices import Role

OPPORTUNITY_POLICY = register(
    ResourcePolicy(
        resource="opportunities",
        label="Opportunities",
        actions=CUSTOMER_ACTIONS,
        read_scope=CUSTOMER_READ_SCOPE,
        write_scope=CUSTOMER_WRITE_SCOPE,
    )
)

# everyone works with the pipelines; only admins change their stages and gates
PIPELINE_POLICY = register(
    ResourcePolicy(
        resource="pipelines",
        label="Pipelines",
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
