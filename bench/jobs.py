"""Bulk jobs of the benchmark, timed in-process through the services the web UI calls.

`python bench/jobs.py import USERNAME WORKSPACE_SLUG`: a 5,000-row contact CSV uploaded,
mapped, validated (the preview) and imported (which writes the preview's rows after checking
them again against the stored records), end to end.
`python bench/jobs.py duplicate-scan USERNAME WORKSPACE_SLUG`: a duplicate scan of a workspace
of 100,000 contacts: the benchmark workspace itself when it holds 100,000–110,000 contacts,
else one seeded on first use as WORKSPACE_SLUG-dup (not part of the timing).

`python bench/jobs.py assignment USERNAME WORKSPACE_SLUG`: lead assignment throughput through
the rule engine (issue 4 §7) over leads without owner seeded by bench/seed_sales.py: three
rules (least open load for hot leads, round robin by region, a default round robin),
ASSIGN_BATCHES batches of ASSIGN_BATCH leads through assign_many (imports and bulk routing),
then ASSIGN_SINGLE leads one by one through lead_assign (a web form's path).

Prints one JSON object: {"seconds": …, "details": …} or {"todo": …} when the feature's code
is not there (yet): no figure is ever made up.
"""

from __future__ import annotations

import csv
import io
import json
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "guanxi.settings")

import django

django.setup()

from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402

from bench.mobiles import unused_mobiles  # noqa: E402
from guanxi.contacts.models import Contact  # noqa: E402
from guanxi.workspaces.models import Membership, Workspace  # noqa: E402

IMPORT_ROWS = 5_000
SCAN_CONTACTS = 100_000
SCAN_COMPANIES = 10_000
SCAN_LIMIT = 110_000
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英"


def membership_of(username: str, slug: str) -> Membership:
    return Membership.objects.select_related("user", "workspace").get(
        user__username=username, workspace__slug=slug
    )


def contact_csv(rows: int, seed: int, slug: str) -> bytes:
    """Chinese contacts with new mobiles (prefix 166, rare in the seeded data) and emails."""
    rng = random.Random(seed)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["姓名", "手机", "邮箱", "职位", "城市"])
    numbers = unused_mobiles(rng, rows, slug, prefix="166")
    for n, mobile in enumerate(numbers):
        name = rng.choice(SURNAMES) + "".join(rng.choices(GIVEN, k=rng.randint(1, 2)))
        writer.writerow([name, mobile, f"import{seed}-{n}@example.cn", "采购经理", "上海"])
    return out.getvalue().encode("utf-8")


def time_import(username: str, slug: str) -> dict:
    try:
        from guanxi.imports.services import (
            import_job_create,
            import_job_map,
            import_job_run,
            import_job_validate,
        )
    except ImportError as exc:
        return {"todo": f"TODO: import services not available ({exc})"}
    membership = membership_of(username, slug)
    seed = random.randrange(10**6)
    upload = SimpleUploadedFile("bench.csv", contact_csv(IMPORT_ROWS, seed, slug), "text/csv")
    started = time.perf_counter()
    job = import_job_create(membership=membership, target="contacts", upload=upload)
    job = import_job_map(job=job, mapping=job.mapping, mode="create")
    validated = time.perf_counter()
    outcome = import_job_validate(job=job, membership=membership)
    ran = time.perf_counter()
    job = import_job_run(job=job)
    done = time.perf_counter()
    if job.status != "done" or job.created_count != IMPORT_ROWS:
        return {
            "todo": f"import ended {job.status}: {job.created_count} created, "
            f"{outcome.invalid_count} invalid, {job.failure}"
        }
    return {
        "seconds": round(done - started, 2),
        "details": f"{IMPORT_ROWS:,} rows: upload and mapping {validated - started:.1f} s, "
        f"preview (validation) {ran - validated:.1f} s, import {done - ran:.1f} s",
    }


def time_duplicate_scan(username: str, slug: str) -> dict:
    try:
        from guanxi.quality.detection import duplicate_scan
    except ImportError as exc:
        return {"todo": f"TODO: duplicate scan not available ({exc})"}
    from bench.seed import Seeder

    # the benchmark's own workspace when it is about that size (scale `small`), else another
    workspace = Workspace.objects.get(slug=slug)
    if not SCAN_CONTACTS <= Contact.objects.filter(workspace=workspace).count() <= SCAN_LIMIT:
        workspace = Workspace.objects.filter(slug=f"{slug}-dup").first()
    if workspace is None:
        from guanxi.core.demo import demo_workspace_create

        workspace = demo_workspace_create(slug=f"{slug}-dup", name="压测 duplicates").workspace
        seeder = Seeder(workspace=workspace, rows=SCAN_CONTACTS + SCAN_COMPANIES, seed=2)
        seeder.seed_companies(SCAN_COMPANIES)
        seeder.seed_contacts(SCAN_CONTACTS)
    started = time.perf_counter()
    result = duplicate_scan(workspace=workspace, record_type="contacts.contact")
    seconds = time.perf_counter() - started
    return {
        "seconds": round(seconds, 2),
        "details": f"{result.records:,} contacts, {result.pairs_scored:,} pairs scored, "
        f"{result.candidates:,} candidates",
    }


ASSIGN_BATCH = 1_000
ASSIGN_BATCHES = 10
ASSIGN_SINGLE = 300
BENCH_RULES = (
    # name, conditions, team number (bench/seed_sales.py's TEAMS), strategy
    (
        "bench: hot leads",
        [
            {"field": "priority", "op": "eq", "value": "high"},
            {"field": "score", "op": "gte", "value": 60},
        ],
        0,
        "least_load",
    ),
    (
        "bench: south",
        [{"field": "province", "op": "in", "value": "广东, 四川, 湖北"}],
        1,
        "round_robin",
    ),
    ("bench: everyone else", [], 0, "round_robin"),
)


def bench_rules(membership: Membership) -> None:
    """The benchmark's lead rules, created once (the last one is the default rule)."""
    from bench.seed_sales import TEAMS
    from guanxi.assignment.models import AssignmentRule
    from guanxi.assignment.services import rule_create
    from guanxi.workspaces.models import Team

    workspace = membership.workspace
    for position, (name, conditions, team, strategy) in enumerate(BENCH_RULES):
        if AssignmentRule.objects.filter(workspace=workspace, name=name).exists():
            continue
        rule_create(
            workspace=workspace,
            actor=membership.user,
            object_type="lead",
            name=name,
            conditions=conditions,
            target_kind="team",
            target_team=Team.objects.get(workspace=workspace, name=TEAMS[team]),
            strategy=strategy,
            is_default=position == len(BENCH_RULES) - 1,
        )


def time_assignment(username: str, slug: str) -> dict:
    from django.db import transaction

    from guanxi.assignment.services import assign_many
    from guanxi.leads.models import Lead
    from guanxi.leads.services import lead_assign

    membership = membership_of(username, slug)
    bench_rules(membership)
    unowned = Lead.objects.filter(workspace=membership.workspace, owner__isnull=True).order_by("id")
    # up to ASSIGN_BATCHES batches: a smaller scale has fewer leads without owner
    batches = min(ASSIGN_BATCHES, (unowned.count() - ASSIGN_SINGLE) // ASSIGN_BATCH)
    if batches < 1:
        wanted = ASSIGN_BATCH + ASSIGN_SINGLE
        return {"todo": f"fewer than {wanted:,} leads without owner: seed with bench/seed_sales.py"}
    batch_seconds, assigned = 0.0, 0
    for _ in range(batches):
        leads = list(unowned.select_related("workspace")[:ASSIGN_BATCH])
        started = time.perf_counter()
        with transaction.atomic():
            results = assign_many(leads, object_type="lead", actor=membership.user)
        batch_seconds += time.perf_counter() - started
        assigned += sum(1 for result in results if result.user is not None)
    singles = list(unowned.select_related("workspace")[:ASSIGN_SINGLE])
    started = time.perf_counter()
    for lead in singles:
        lead_assign(lead=lead, actor=membership.user)
    single_seconds = time.perf_counter() - started
    rate = assigned / batch_seconds
    return {
        "seconds": round(batch_seconds, 2),
        "rate": round(rate),
        "details": f"{assigned:,} leads in batches of {ASSIGN_BATCH:,} through assign_many: "
        f"{rate:,.0f} leads/s; {len(singles)} one by one through lead_assign (each its own "
        f"transaction, audit row and notification): {len(singles) / single_seconds:,.0f} leads/s",
    }


if __name__ == "__main__":
    job, username, slug = sys.argv[1:4]
    timed = {
        "import": time_import,
        "duplicate-scan": time_duplicate_scan,
        "assignment": time_assignment,
    }[job]
    print(json.dumps(timed(username, slug)))
