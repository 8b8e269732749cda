"""Writes of the analytics app: sales targets (the reports themselves only read)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from guanxi.analytics.models import SalesTarget
from guanxi.core.services import model_update, save_integrity
from guanxi.users.models import User
from guanxi.workspaces.models import Workspace

SALES_TARGET_FIELDS = ("user", "team", "month", "amount")


@transaction.atomic
def sales_target_create(*, workspace: Workspace, actor: User | None, **data: Any) -> SalesTarget:
    """A user's or a team's target for a month (the month is stored as its first day)."""
    target = SalesTarget(
        workspace=workspace, **{name: data.get(name) for name in SALES_TARGET_FIELDS}
    )
    target.full_clean()
    save_integrity(target)
    return target


@transaction.atomic
def sales_target_update(
    *, salestarget: SalesTarget, actor: User | None, data: dict[str, Any]
) -> SalesTarget:
    data = dict(data)
    if data.get("month"):
        data["month"] = data["month"].replace(day=1)
    model_update(instance=salestarget, fields=SALES_TARGET_FIELDS, data=data)
    return salestarget


@transaction.atomic
def sales_target_delete(*, salestarget: SalesTarget, actor: User | None) -> None:
    salestarget.delete()
