"""Every write to companies: create, update, delete and the bulk actions."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from guanxi.companies.models import ADDRESS_FIELDS, PROFILE_FIELDS, Company, CompanyAlias
from guanxi.core.services import record_create, record_update
from guanxi.quality.aliases import parse_aliases
from guanxi.quality.refresh import record_quality_refresh
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
    # validated against the workspace's definitions by the form / serializer (customfields)
    "custom_fields",
)


@transaction.atomic
def company_create(
    *, workspace: Workspace, actor: User | None, aliases: str | list[str] | None = None, **data: Any
) -> Company:
    """`aliases`: other names, as a list or comma/newline-separated text (CompanyAlias)."""
    company = record_create(model=Company, workspace=workspace, actor=actor, data=data)
    if aliases is not None:
        company_aliases_set(company=company, aliases=aliases)
    record_quality_refresh(company)
    return company


@transaction.atomic
def company_update(*, company: Company, actor: User | None, data: dict[str, Any]) -> Company:
    data = dict(data)
    aliases = data.pop("aliases", None)
    record_update(instance=company, fields=COMPANY_EDITABLE_FIELDS, data=data)
    if aliases is not None:
        company_aliases_set(company=company, aliases=aliases)
    record_quality_refresh(company)
    return company


def company_aliases_set(*, company: Company, aliases: str | list[str]) -> list[str]:
    """Replace the company's aliases (unique, trimmed, never its own name); returns them."""
    text = aliases if isinstance(aliases, str) else "\n".join(map(str, aliases))
    names = parse_aliases(text, exclude=company.name)
    company.aliases.exclude(name__in=names).delete()
    existing = set(company.aliases.values_list("name", flat=True))
    CompanyAlias.objects.bulk_create(
        CompanyAlias(workspace_id=company.workspace_id, company=company, name=name)
        for name in names
        if name not in existing
    )
    return names


@transaction.atomic
def company_delete(*, company: Company, actor: User | None) -> None:
    company.delete()
