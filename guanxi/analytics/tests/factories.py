"""Factories and bulk builders of the seeds' report tables (3.2.2), inserted in bulk: the reports
read what is stored, so 1,000 deals need not go through the services one by one."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import factory
from django.utils import timezone

from guanxi.analytics.models import SalesTarget
from guanxi.opportunities.choices import OpportunityStatus, StageKind
from guanxi.opportunities.models import Opportunity, Pipeline, Stage, StageHistory
from guanxi.workspaces.tests.factories import WorkspaceFactory

# seeds 3.2.2 转化漏斗: 潜在客户 1000 → 意向客户 900 → 评估 720 → 报价 480 → 谈判 320 → 成交 240
SEED_FUNNEL = (
    ("潜在客户", 1000, 10, StageKind.OPEN),
    ("意向客户", 900, 20, StageKind.OPEN),
    ("评估阶段", 720, 40, StageKind.OPEN),
    ("报价阶段", 480, 60, StageKind.OPEN),
    ("合同谈判", 320, 80, StageKind.OPEN),
    ("成交客户", 240, 100, StageKind.WON),
)
SEED_CONVERSIONS = [
    Decimal("90.0"),
    Decimal("80.0"),
    Decimal("66.7"),
    Decimal("66.7"),
    Decimal("75.0"),
]

# seeds 3.2.2 销售人员转化效率: name, deals, won, average days to close, index
SEED_EFFICIENCY = (
    ("张三", 150, 45, 30, Decimal("0.30")),
    ("李四", 120, 30, 25, Decimal("0.25")),
    ("王五", 180, 60, 35, Decimal("0.33")),
)


class SalesTargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SalesTarget

    workspace = factory.SubFactory(WorkspaceFactory)
    month = datetime.date(2026, 1, 1)
    amount = Decimal("100000.00")


def seed_pipeline(workspace: Any, name: str = "种子漏斗") -> tuple[Pipeline, list[Stage]]:
    """The seeds' six funnel stages, plus a lost stage."""
    pipeline = Pipeline.objects.create(workspace=workspace, name=name)
    stages = [
        Stage.objects.create(
            workspace=workspace,
            pipeline=pipeline,
            name=stage_name,
            order=order,
            probability=probability,
            kind=kind,
        )
        for order, (stage_name, _count, probability, kind) in enumerate(SEED_FUNNEL)
    ]
    Stage.objects.create(
        workspace=workspace, pipeline=pipeline, name="输单", order=99, kind=StageKind.LOST
    )
    return pipeline, stages


def bulk_deals(
    workspace: Any,
    stages: list[Stage],
    *,
    furthest: list[int],
    owner: Any = None,
    entered_at: datetime.datetime | None = None,
    **fields: Any,
) -> list[Opportunity]:
    """One deal per entry of `furthest` (an index into stages, none of them lost), created at
    `entered_at` (default: now) with a stage history walking from the first stage up to that one,
    all entered then."""
    deals = Opportunity.objects.bulk_create(
        Opportunity(
            workspace=workspace,
            name=f"商机 {index}",
            pipeline=stages[top].pipeline,
            stage=stages[top],
            furthest_stage=stages[top],
            probability=stages[top].probability,
            status=OpportunityStatus.WON
            if stages[top].kind == StageKind.WON
            else OpportunityStatus.OPEN,
            owner=owner,
            **fields,
        )
        for index, top in enumerate(furthest)
    )
    if entered_at is None:
        entered_at = timezone.now()
    else:  # created_at is set on insert whatever the instance says
        Opportunity.objects.filter(pk__in=[deal.pk for deal in deals]).update(created_at=entered_at)
        for deal in deals:
            deal.created_at = entered_at
    StageHistory.objects.bulk_create(
        StageHistory(
            workspace=workspace, opportunity=deal, to_stage=stages[step], entered_at=entered_at
        )
        for deal, top in zip(deals, furthest, strict=True)
        for step in range(top + 1)
    )
    return deals


def seed_funnel_tops() -> list[int]:
    """Furthest stage per deal so that 1000, 900, 720, 480, 320, 240 deals reach the stages."""
    counts = [count for _name, count, _p, _k in SEED_FUNNEL]
    tops: list[int] = []
    for index, count in enumerate(counts):
        after = counts[index + 1] if index + 1 < len(counts) else 0
        tops += [index] * (count - after)
    return tops


def seed_efficiency(
    workspace: Any, stages: list[Stage], owners: dict[str, Any], *, created: datetime.datetime
) -> None:
    """The seeds' reps: deals created at `created`, the won ones closed after the average days."""
    won_stage = next(stage for stage in stages if stage.kind == StageKind.WON)
    for name, total, won, avg_days, _index in SEED_EFFICIENCY:
        tops = [stages.index(won_stage)] * won + [0] * (total - won)
        deals = bulk_deals(
            workspace, stages, furthest=tops, owner=owners[name], amount=Decimal("1000")
        )
        ids = [deal.pk for deal in deals]
        Opportunity.objects.filter(pk__in=ids).update(created_at=created)
        Opportunity.objects.filter(pk__in=ids, status=OpportunityStatus.WON).update(
            closed_at=created + datetime.timedelta(days=avg_days)
        )
