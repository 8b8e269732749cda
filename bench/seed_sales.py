"""Benchmark seeding of the sales side (issue 4 §7): leads and opportunities over 3 pipelines.

Run as `python bench/seed_sales.py --workspace SLUG --leads N --opportunities N [--seed S]`
with the benchmark's environment, after bench/seed.py has filled the workspace with companies
and contacts; prints one JSON object with the row counts and seconds per table.

The workspace gets 12 more sales reps in two teams (a board and a report grouped by owner
look like a real sales floor's), two more pipelines beside the seeds' default one, and deals
created over the last two years that walk stage by stage like demo deals do: each stay is a
stage history row, so the funnel reads the same history as in production. Leads are scored by
the workspace's scoring model; a share stays without owner for the assignment benchmark.
Rows go in with multi-row INSERTs and no audit rows, as in bench/seed.py.
"""

from __future__ import annotations

import argparse
import datetime
import json
import random
import sys
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from django.db import transaction
from django.utils import timezone

from bench.seed import BATCH, TODAY, batches, row, tune_for_bulk_load
from guanxi.contacts.models import Contact
from guanxi.core.database import planner_statistics_refresh
from guanxi.core.inserts import instances_insert, rows_insert
from guanxi.leads.models import Lead
from guanxi.leads.scoring import score_lead
from guanxi.leads.services import scoring_model_for
from guanxi.opportunities.choices import (
    OpportunitySource,
    OpportunityStatus,
    StageColour,
    StageKind,
)
from guanxi.opportunities.models import Opportunity, Pipeline, Stage, StageHistory
from guanxi.opportunities.services import default_pipeline, pipeline_stages
from guanxi.users.models import User
from guanxi.workspaces.choices import Role
from guanxi.workspaces.models import Membership, Team, Workspace
from guanxi.workspaces.services import member_add, team_create

REPS_PER_TEAM = 6
TEAMS = ("华北大客户部", "华南渠道部")
# name, stages (name, probability, kind); the default pipeline is the seeds' own
PIPELINES = (
    (
        "大客户项目 Key accounts",
        (
            ("初步接触", 10, StageKind.OPEN),
            ("方案设计", 30, StageKind.OPEN),
            ("招投标", 50, StageKind.OPEN),
            ("商务谈判", 75, StageKind.OPEN),
            ("中标签约", 100, StageKind.WON),
            ("未中标", 0, StageKind.LOST),
        ),
    ),
    (
        "渠道合作 Channel",
        (
            ("意向", 20, StageKind.OPEN),
            ("试点", 50, StageKind.OPEN),
            ("签约", 100, StageKind.WON),
            ("放弃", 0, StageKind.LOST),
        ),
    ),
)
PIPELINE_SHARE = (60, 25, 15)  # default, key accounts, channel
OUTCOME_WEIGHTS = (68, 20, 12)  # open, won, lost
HISTORY_DAYS = 700  # deals created over the last two years
PRODUCTS = ("关系CRM 专业版", "关系CRM 企业版", "实施服务", "数据迁移", "培训", "API 集成")
LOST_REASONS = ("价格过高", "选择了竞争对手", "预算取消", "No decision")
PROVINCES = ("上海", "北京", "广东", "浙江", "江苏", "四川", "湖北", "山东")
UNOWNED_LEAD_SHARE = 0.3


class SalesSeeder:
    def __init__(self, *, workspace: Workspace, seed: int):
        self.workspace = workspace
        self.rng = random.Random(seed)
        self.now = timezone.make_aware(datetime.datetime.combine(TODAY, datetime.time(18)))
        self.seconds: dict[str, float] = {}
        self.rows: dict[str, int] = {}

    def timed(self, name: str, rows: int, started: float) -> None:
        self.seconds[name] = round(time.perf_counter() - started, 1)
        self.rows[name] = rows

    # --- people and pipelines ---------------------------------------------------------------
    def sales_floor(self) -> list[Any]:
        """The workspace's sellers plus REPS_PER_TEAM reps in each of TEAMS (idempotent)."""
        for team_number, team_name in enumerate(TEAMS, start=1):
            team = Team.objects.filter(workspace=self.workspace, name=team_name).first()
            team = team or team_create(workspace=self.workspace, name=team_name)
            for number in range(1, REPS_PER_TEAM + 1):
                username = f"rep{team_number}-{number:02d}"
                user, _created = User.objects.get_or_create(
                    username=username,
                    defaults={"email": f"{username}@bench.example", "display_name": username},
                )
                if not Membership.objects.filter(workspace=self.workspace, user=user).exists():
                    member_add(
                        workspace=self.workspace,
                        email=user.email,
                        role=Role.SALES,
                        team=team,
                        invite=False,
                    )
        return list(
            Membership.objects.filter(
                workspace=self.workspace, role__in=(Role.SALES, Role.MANAGER), is_active=True
            ).values_list("user_id", flat=True)
        )

    def pipelines(self) -> list[tuple[Pipeline, list[Stage]]]:
        made = [default_pipeline(self.workspace)]
        for order, (name, stages) in enumerate(PIPELINES, start=1):
            pipeline, created = Pipeline.objects.get_or_create(
                workspace=self.workspace, name=name, defaults={"order": order}
            )
            if created:
                Stage.objects.bulk_create(
                    Stage(
                        workspace=self.workspace,
                        pipeline=pipeline,
                        name=stage_name,
                        order=position,
                        probability=probability,
                        kind=kind,
                        colour=StageColour.BLUE,
                    )
                    for position, (stage_name, probability, kind) in enumerate(stages)
                )
            made.append(pipeline)
        return [(pipeline, list(pipeline_stages(pipeline))) for pipeline in made]

    # --- leads ------------------------------------------------------------------------------
    def seed_leads(self, total: int, owners: list[Any]) -> None:
        model = scoring_model_for(self.workspace)
        rng = self.rng
        sources = [value for value, _label in Lead._meta.get_field("source").choices]
        industries = [value for value, _label in Lead._meta.get_field("industry").choices]
        sizes = [value for value, _label in Lead._meta.get_field("company_size").choices]
        statuses = ("new", "working", "nurturing", "qualified", "unqualified")
        started = time.perf_counter()
        for size in batches(total):
            leads = []
            for _ in range(size):
                lead = Lead(
                    workspace=self.workspace,
                    owner_id=None if rng.random() < UNOWNED_LEAD_SHARE else rng.choice(owners),
                    name=f"线索{rng.randrange(10**6):06d}",
                    company_name=f"{rng.choice(PROVINCES)}某某科技有限公司",
                    mobile=f"1{rng.choice('3589')}{rng.randrange(10**9):09d}",
                    email=f"lead{rng.randrange(10**8)}@example.com",
                    source=rng.choice(sources),
                    province=rng.choice(PROVINCES),
                    industry=rng.choice(industries),
                    company_size=rng.choice(sizes),
                    product_interest=rng.choice(PRODUCTS),
                    status=rng.choices(statuses, weights=(35, 25, 15, 15, 10))[0],
                    priority=rng.choices(("low", "normal", "high"), weights=(30, 50, 20))[0],
                    visits=int(rng.expovariate(1 / 6)),
                    email_opens=rng.randint(0, 12),
                    email_clicks=rng.randint(0, 5),
                    form_submissions=rng.randint(0, 3),
                    expressed_interest=rng.choice((None, 1, 2, 3, 4, 5)),
                )
                scored = score_lead(
                    lead, criteria=model.criteria, mql=model.mql_threshold, sql=model.sql_threshold
                )
                lead.score, lead.score_stage = scored.score, scored.stage
                leads.append(lead)
            with transaction.atomic():
                instances_insert(Lead, leads, batch_size=500)
        self.timed("leads", total, started)

    # --- opportunities ----------------------------------------------------------------------
    def seed_opportunities(
        self, total: int, owners: list[Any], pipelines: list[tuple[Pipeline, list[Stage]]]
    ) -> None:
        customers = list(
            Contact.objects.filter(workspace=self.workspace, company__isnull=False)
            .order_by()
            .values_list("id", "company_id")[:20_000]
        )
        deal_fields = Opportunity._meta.local_concrete_fields
        history_fields = StageHistory._meta.local_concrete_fields
        started = time.perf_counter()
        made = {"opportunities": 0, "stage history": 0}
        for size in batches(total, BATCH // 2):
            deal_rows, history_rows = [], []
            for _ in range(size):
                pipeline, stages = self.rng.choices(pipelines, weights=PIPELINE_SHARE)[0]
                customer = self.rng.choice(customers) if customers else (None, None)
                deal, stays = self.deal(pipeline, stages, self.rng.choice(owners), customer)
                deal_rows.append(row(deal_fields, deal))
                history_rows += [row(history_fields, stay) for stay in stays]
            with transaction.atomic():
                rows_insert(Opportunity, deal_fields, deal_rows, batch_size=500)
                rows_insert(StageHistory, history_fields, history_rows, batch_size=500)
            made["opportunities"] += len(deal_rows)
            made["stage history"] += len(history_rows)
        self.seconds["opportunities and stage history"] = round(time.perf_counter() - started, 1)
        self.rows["opportunities and stage history"] = sum(made.values())
        self.made = made

    def deal(
        self, pipeline: Pipeline, stages: list[Stage], owner: Any, customer: tuple
    ) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        """One deal's values and its stays, walking the open stages like demo deals do."""
        rng = self.rng
        open_stages = [stage for stage in stages if stage.kind == StageKind.OPEN]
        won = next(stage for stage in stages if stage.kind == StageKind.WON)
        lost = next(stage for stage in stages if stage.kind == StageKind.LOST)
        outcome = rng.choices(("open", "won", "lost"), weights=OUTCOME_WEIGHTS)[0]
        if outcome == "won":
            path = [*open_stages, won]
        else:
            path = open_stages[: rng.randint(1, len(open_stages))]
            path += [lost] if outcome == "lost" else []
        created = self.now - datetime.timedelta(
            days=rng.randrange(HISTORY_DAYS), hours=rng.randrange(10)
        )
        deal_id = Opportunity._meta.pk.get_default()
        stays, entered, previous = [], created, None
        for position, stage in enumerate(path):
            if position:
                entered = min(entered + datetime.timedelta(days=rng.expovariate(1 / 12)), self.now)
            if stays:
                stays[-1]["left_at"] = entered
            stays.append(
                {
                    "workspace_id": self.workspace.pk,
                    "opportunity_id": deal_id,
                    "from_stage_id": previous,
                    "to_stage_id": stage.pk,
                    "entered_at": entered,
                    "left_at": None,
                    "actor_id": owner,
                }
            )
            previous = stage.pk
        stage = path[-1]
        status = {StageKind.WON: OpportunityStatus.WON, StageKind.LOST: OpportunityStatus.LOST}
        product = rng.choice(PRODUCTS)
        deal = {
            "id": deal_id,
            "workspace_id": self.workspace.pk,
            "owner_id": owner,
            "created_at": created,
            "updated_at": entered,
            "name": f"商机 {rng.randrange(10**6):06d} · {product}",
            "company_id": customer[1],
            "primary_contact_id": customer[0],
            "amount": Decimal(rng.randint(4, 160) * 5000),
            "expected_close": (created + datetime.timedelta(days=rng.randint(30, 150))).date(),
            "pipeline_id": pipeline.pk,
            "stage_id": stage.pk,
            "probability": stage.probability,
            "status": status.get(stage.kind, OpportunityStatus.OPEN),
            "lost_reason": rng.choice(LOST_REASONS) if stage.kind == StageKind.LOST else "",
            "source": rng.choice(OpportunitySource.values),
            "closed_at": entered if stage.kind != StageKind.OPEN else None,
            "stage_entered_at": entered,
            # the funnel's "furthest stage reached": the last stage walked that is not lost
            "furthest_stage_id": next(s.pk for s in reversed(path) if s.kind != StageKind.LOST),
        }
        return deal, stays


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--workspace", default="bench")
    parser.add_argument("--leads", type=int, default=200_000)
    parser.add_argument("--opportunities", type=int, default=500_000)
    parser.add_argument("--seed", type=int, default=1)
    options = parser.parse_args()
    tune_for_bulk_load()
    workspace = Workspace.objects.get(slug=options.workspace)
    seeder = SalesSeeder(workspace=workspace, seed=options.seed)
    owners = seeder.sales_floor()
    pipelines = seeder.pipelines()
    seeder.seed_leads(options.leads, owners)
    seeder.seed_opportunities(options.opportunities, owners, pipelines)
    started = time.perf_counter()
    planner_statistics_refresh()
    seeder.timed("ANALYZE (sales)", 0, started)
    notes = [
        f"{seeder.made['opportunities']:,} opportunities over {len(pipelines)} pipelines with "
        f"{seeder.made['stage history']:,} stage history rows; {len(owners)} sellers"
    ]
    print(json.dumps({"seconds": seeder.seconds, "rows": seeder.rows, "notes": notes}))


if __name__ == "__main__":
    main()
