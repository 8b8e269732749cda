"""Every write to companies: create, update, delete and the bulk actions."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from guanxi.companies.models import ADDRESS_FIELDS, PROFILE_FIELDS, Company
from guanxi.core.services import record_create, record_update
from guanxi.users.models import User
from guanxi.workspaces.models import Workspace

COMPANY_EDITABLE_FIELDS = (
    "name",
    "short_name",
    "size",
    "website",
    "phone",
    *PROFILE_FIELDS,
    *ADDRESS_FIELDS,
    "owner",
    "tags",
)


def company_create(*, workspace: Workspace, actor: User | None, **data: Any) -> Company:
    return record_create(model=Company, workspace=workspace, actor=actor, data=data)


def company_update(*, company: Company, actor: User | None, data: dict[str, Any]) -> Company:
    return record_update(instance=company, fields=COMPANY_EDITABLE_FIELDS, data=data)


@transaction.atomic
def company_delete(*, company: Company, actor: User | None) -> None:
    company.delete()
