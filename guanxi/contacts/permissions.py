"""Contacts follow the same matrix as companies: they are the same customer data."""

from guanxi.companies.permissions import CUSTOMER_ACTIONS, CUSTOMER_READ_SCOPE, CUSTOMER_WRITE_SCOPE
from guanxi.core.permissions import ResourcePolicy, register

CONTACT_POLICY = register(
    ResourcePolicy(
        resource="contacts",
        label="Contacts",
        actions=CUSTOMER_ACTIONS,
        read_scope=CUSTOMER_READ_SCOPE,
        write_scope=CUSTOMER_WRITE_SCOPE,
    )
)
