"""Company aliases (DQ-3): parsing the form's text and keeping aliases through a merge."""

from __future__ import annotations

import re
from typing import Any

from guanxi.companies.models import CompanyAlias

ALIAS_SEPARATORS = re.compile(r"[,，、;；\n\r]+")
MAX_ALIASES = 50
MAX_ALIAS_LENGTH = 200


def parse_aliases(text: str, *, exclude: str = "") -> list[str]:
    """'华为, Huawei\\n华为技术' → ['华为', 'Huawei', '华为技术']: trimmed, unique (case-blind),
    without the company's own name."""
    seen: set[str] = {exclude.strip().casefold()} if exclude else set()
    names = []
    for part in ALIAS_SEPARATORS.split(text or ""):
        name = " ".join(part.split())[:MAX_ALIAS_LENGTH]
        if name and name.casefold() not in seen:
            seen.add(name.casefold())
            names.append(name)
    return names[:MAX_ALIASES]


def merge_company_aliases(survivor: Any, duplicate: Any, actor: Any) -> None:
    """Merge handler: the survivor keeps both companies' aliases, and the duplicate's names
    (legal and short) become aliases, so searches for the old name still find it."""
    have = {name.casefold() for name in survivor.aliases.values_list("name", flat=True)}
    have.add(survivor.name.casefold())
    wanted = [
        *duplicate.aliases.values_list("name", flat=True),
        duplicate.name,
        duplicate.short_name,
    ]
    new = []
    for name in wanted:
        if name and name.casefold() not in have:
            have.add(name.casefold())
            new.append(
                CompanyAlias(workspace_id=survivor.workspace_id, company=survivor, name=name)
            )
    duplicate.aliases.all().delete()
    CompanyAlias.objects.bulk_create(new)
