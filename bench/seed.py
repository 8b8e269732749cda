"""Benchmark seeding at scale: companies, contacts, members and their transactions.

Run as `python bench/seed.py --workspace SLUG --companies N --contacts N --members N
--transactions N [--seed S]` with the benchmark's environment; prints one JSON object with the
row counts and seconds per table.

The same values as `python -m guanxi demo` (core/demo.py's RecordFaker and multi-row inserts),
but without audit rows: a benchmark database needs no history, and writing one audit row per
record would double the rows written. Each batch commits on its own (one transaction for a
million rows would grow SQLite's WAL to gigabytes). Members and transactions are seeded when
the members app has its tables. On SQLite the search index (guanxi/search) is dropped
while loading and filled in one pass afterwards.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import random
import sys
import time
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "guanxi.settings")

import django

django.setup()

from django.apps import apps  # noqa: E402
from django.db import connection, models, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from guanxi.audit.context import snapshots_skipped  # noqa: E402
from guanxi.companies.models import Company  # noqa: E402
from guanxi.contacts.models import Contact  # noqa: E402
from guanxi.core.database import planner_statistics_refresh  # noqa: E402
from guanxi.core.demo import (  # noqa: E402
    DEMO_TAGS,
    INDIVIDUAL_SHARE,
    RecordFaker,
    demo_owner_ids,
    demo_workspace_create,
)
from guanxi.core.inserts import instances_insert, rows_insert  # noqa: E402
from guanxi.core.services import tags_by_name  # noqa: E402
from guanxi.search.indexes import text_indexes_create, text_indexes_drop  # noqa: E402
from guanxi.workspaces.models import Workspace  # noqa: E402

BATCH = 5000
LEVEL_THRESHOLDS = (("svip", Decimal("5000.00")), ("vip", Decimal("1000.00")))
CHANNELS = ("天猫旗舰店", "京东自营", "上海南京路店", "北京三里屯店", "微信小程序", "Online shop")
TODAY = datetime.date(2026, 11, 23)


def batches(total: int, size: int = BATCH) -> Iterator[int]:
    for start in range(0, total, size):
        yield min(size, total - start)


def tune_for_bulk_load() -> None:
    """SQLite: no fsync per commit and a larger page cache while seeding (a benchmark database
    is thrown away if the machine crashes)."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA synchronous = OFF")
            cursor.execute("PRAGMA cache_size = -1000000")


class Seeder:
    def __init__(self, *, workspace: Workspace, rows: int, seed: int):
        self.workspace = workspace
        self.faker = RecordFaker(
            workspace=workspace, owner_ids=demo_owner_ids(workspace), rows=rows, seed=seed
        )
        self.rng = random.Random(seed)
        self.tags = {tag.name: tag for tag in tags_by_name(workspace=workspace, names=DEMO_TAGS)}
        self.companies: list = []
        self.seconds: dict[str, float] = {}
        self.rows: dict[str, int] = {}
        self.counts: dict[str, int] = {}

    def timed(self, name: str, rows: int, started: float) -> None:
        self.seconds[name] = round(time.perf_counter() - started, 1)
        self.rows[name] = rows

    def insert(self, model: type[models.Model], records: list) -> None:
        """Rows and tag links of one batch, committed together."""
        with transaction.atomic():
            instances_insert(model, records, batch_size=500)
            through = model.tags.through
            link = [
                through._meta.get_field(model._meta.model_name),
                through._meta.get_field("tag"),
            ]
            links = [
                (record.pk, self.tags[name].pk)
                for record in records
                for name in self.faker.pick_tags()
            ]
            rows_insert(through, link, links, batch_size=1000)

    def seed_companies(self, total: int) -> None:
        started = time.perf_counter()
        for size in batches(total):
            with snapshots_skipped():
                built = [self.faker.company() for _ in range(size)]
            self.insert(Company, [company for company, _traits in built])
            self.companies.extend(traits for _company, traits in built)
        self.timed("companies", total, started)

    def seed_contacts(self, total: int) -> list:
        started = time.perf_counter()
        ids: list = []
        faker = self.faker
        for size in batches(total):
            with snapshots_skipped():
                batch = [
                    faker.contact(
                        faker.rng.choice(self.companies)
                        if self.companies and faker.rng.random() > INDIVIDUAL_SHARE
                        else None
                    )
                    for _ in range(size)
                ]
            self.insert(Contact, batch)
            ids.extend(contact.pk for contact in batch)
        self.timed("contacts", total, started)
        return ids

    def seed_members(self, contact_ids: list, members: int, transactions: int) -> None:
        """Members for a random sample of contacts, each with about transactions/members
        purchases and the occasional return; spend, level and recency follow from them."""
        member_model = apps.get_model("members", "Member")
        transaction_model = apps.get_model("members", "Transaction")
        chosen = sorted(self.rng.sample(range(len(contact_ids)), min(members, len(contact_ids))))
        per_member = transactions / max(len(chosen), 1)
        member_fields = member_model._meta.local_concrete_fields
        txn_fields = transaction_model._meta.local_concrete_fields
        started = time.perf_counter()
        made = {"members": 0, "transactions": 0}
        number = 0
        for start in range(0, len(chosen), BATCH // 5):
            member_rows, txn_rows = [], []
            for position in chosen[start : start + BATCH // 5]:
                number += 1
                member_id = field_default(member_fields, "id")
                purchases = self.purchases(member_id, per_member)
                txn_rows += [row(txn_fields, values) for values in purchases]
                member_rows.append(
                    row(
                        member_fields,
                        self.member_values(member_id, contact_ids[position], number, purchases),
                    )
                )
            with transaction.atomic():
                rows_insert(member_model, member_fields, member_rows, batch_size=500)
                rows_insert(transaction_model, txn_fields, txn_rows, batch_size=500)
            made["members"] += len(member_rows)
            made["transactions"] += len(txn_rows)
        seconds = time.perf_counter() - started
        self.seconds["members and transactions"] = round(seconds, 1)
        self.rows["members and transactions"] = made["members"] + made["transactions"]
        self.counts = made

    def purchases(self, member_id: Any, per_member: float) -> list[dict[str, Any]]:
        count = max(1, round(self.rng.expovariate(1 / per_member))) if per_member else 0
        rows = []
        for _ in range(count):
            kind = "return" if self.rng.random() < 0.04 else "purchase"
            amount = Decimal(self.rng.randint(1_000, 300_000)) / 100
            rows.append(
                {
                    "workspace_id": self.workspace.pk,
                    "member_id": member_id,
                    "kind": kind,
                    "occurred_on": TODAY - datetime.timedelta(days=self.rng.randrange(1500)),
                    "amount": amount,
                    "channel": self.rng.choice(CHANNELS),
                }
            )
        return rows

    def member_values(self, member_id: Any, contact_id: Any, number: int, purchases: list):
        spend = Decimal("0.00")
        last = None
        for purchase in purchases:
            amount, occurred = purchase["amount"], purchase["occurred_on"]
            spend += amount if purchase["kind"] == "purchase" else -amount
            last = max(last, occurred) if last else occurred
        spend = max(spend, Decimal("0.00"))
        level = next((name for name, floor in LEVEL_THRESHOLDS if spend >= floor), "normal")
        return {
            "id": member_id,
            "workspace_id": self.workspace.pk,
            "contact_id": contact_id,
            "member_number": f"VIP{number:08d}",
            "level": level,
            "total_consumption": spend,
            "points_balance": int(spend),
            "last_purchase_at": last,
            "purchases_12m": sum(1 for p in purchases if (TODAY - p["occurred_on"]).days < 365),
        }


def field_default(fields: list, attname: str) -> Any:
    return next(f for f in fields if f.attname == attname).get_default()


def row(fields: list, values: dict[str, Any]) -> tuple:
    """One value per field: the given ones, else what saving a new instance would store."""
    now = timezone.now()
    out = []
    for field in fields:
        if field.attname in values:
            out.append(values[field.attname])
        elif getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            out.append(now)
        else:
            out.append(field.get_default())
    return tuple(out)


def members_available() -> bool:
    """The members app has Member and Transaction and their tables exist (it is being built)."""
    try:
        tables = {
            apps.get_model("members", name)._meta.db_table for name in ("Member", "Transaction")
        }
    except LookupError:
        return False
    return tables <= set(connection.introspection.table_names())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--workspace", default="bench")
    parser.add_argument("--companies", type=int, default=10_000)
    parser.add_argument("--contacts", type=int, default=100_000)
    parser.add_argument("--members", type=int, default=0)
    parser.add_argument("--transactions", type=int, default=0)
    parser.add_argument("--seed", type=int, default=1)
    options = parser.parse_args()
    tune_for_bulk_load()
    workspace = demo_workspace_create(slug=options.workspace, name="压测 Benchmark").workspace
    seeder = Seeder(
        workspace=workspace, rows=options.companies + options.contacts, seed=options.seed
    )
    # SQLite: one bulk fill of the search index after loading beats a trigger per row
    text_indexes_drop(connection)
    seeder.seed_companies(options.companies)
    contact_ids = seeder.seed_contacts(options.contacts)
    started = time.perf_counter()
    text_indexes_create(connection)
    seeder.timed("search index (bulk fill)", 0, started)
    notes = []
    if options.members and members_available():
        seeder.seed_members(contact_ids, options.members, options.transactions)
    elif options.members:
        notes.append("members app has no tables yet: no members or transactions seeded")
    started = time.perf_counter()
    planner_statistics_refresh()
    seeder.timed("ANALYZE", 0, started)
    if seeder.counts:
        notes.append(
            f"{seeder.counts['members']:,} members with {seeder.counts['transactions']:,} "
            "transactions (spend, level and recency derived from them; no points ledger rows)"
        )
    print(json.dumps({"seconds": seeder.seconds, "rows": seeder.rows, "notes": notes}))


if __name__ == "__main__":
    main()
