"""Every write to contacts: create, update, delete. Bulk actions are core.bulk's."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from guanxi.companies.models import ADDRESS_FIELDS, PROFILE_FIELDS
from guanxi.contacts.models import Contact
from guanxi.core.services import record_create, record_update
from guanxi.quality.refresh import record_quality_refresh
from guanxi.users.models import User
from guanxi.workspaces.models import Workspace

CONTACT_EDITABLE_FIELDS = (
    "name",
    "gender",
    "birthday",
    "mobile",
    "email",
    "id_number",
    "job_title",
    *PROFILE_FIELDS,
    *ADDRESS_FIELDS,
    "company",
    "owner",
    "tags",
    # validated against the workspace's definitions by the form / serializer (customfields)
    "custom_fields",
)


@transaction.atomic
def contact_create(*, workspace: Workspace, actor: User | None, **data: Any) -> Contact:
    contact = record_create(model=Contact, workspace=workspace, actor=actor, data=data)
    record_quality_refresh(contact)
    return contact


@transaction.atomic
def contact_update(*, contact: Contact, actor: User | None, data: dict[str, Any]) -> Contact:
    record_update(instance=contact, fields=CONTACT_EDITABLE_FIELDS, data=data)
    record_quality_refresh(contact)
    return contact


@transaction.atomic
def contact_delete(*, contact: Contact, actor: User | None) -> None:
    contact.delete()
