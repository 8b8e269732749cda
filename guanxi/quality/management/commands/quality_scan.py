"""Scan a workspace for duplicates and report how long it took (DQ-1; 100,000 contacts < 60 s).

    python -m guanxi quality_scan --workspace demo [--type companies] [--seed-contacts 100000]

`--seed-contacts` first adds that many demo contacts (and a tenth as many companies) with the
demo data generator, to measure at scale; use a scratch database (GUANXI_DATABASE_URL).
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from guanxi.quality.choices import RecordType
from guanxi.quality.detection import duplicate_scan
from guanxi.workspaces.models import Workspace

TYPES = {"contacts": RecordType.CONTACT, "companies": RecordType.COMPANY}


class Command(BaseCommand):
    help = "Scan a workspace for duplicate contacts or companies and print the time taken."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--workspace", default="demo", help="workspace slug")
        parser.add_argument("--type", choices=sorted(TYPES), default="contacts")
        parser.add_argument("--seed-contacts", type=int, default=0)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["seed_contacts"]:
            from guanxi.core.demo import demo_create

            started = time.perf_counter()
            contacts = options["seed_contacts"]
            demo_create(
                slug=options["workspace"], companies=contacts // 10, contacts=contacts, seed=7
            )
            self.stdout.write(
                f"seeded {contacts} contacts in {time.perf_counter() - started:.1f} s"
            )
        workspace = Workspace.objects.filter(slug=options["workspace"]).first()
        if workspace is None:
            raise CommandError(f"No workspace with slug {options['workspace']!r}.")
        started, cpu_started = time.perf_counter(), time.process_time()
        result = duplicate_scan(workspace=workspace, record_type=TYPES[options["type"]])
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
        self.stdout.write(
            f"scanned {result.records} {options['type']}: {result.pairs_scored} pairs scored, "
            f"{result.candidates} candidates, {elapsed:.1f} s ({cpu:.1f} s CPU in this process; "
            "the rest is the database and other processes)"
        )
