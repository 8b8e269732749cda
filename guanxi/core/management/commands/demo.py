"""`python -m guanxi demo`: a demo workspace with one user per role and realistic data at any scale."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from guanxi.audit.choices import AuditSource
from guanxi.audit.context import audit_context
from guanxi.core.demo import DEMO_PASSWORD, DEMO_SLUG, demo_create
from guanxi.workspaces.models import Workspace


class Command(BaseCommand):
    help = "Create (or add to) a demo workspace with companies and contacts, inserted in bulk."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--companies", type=_count, default=200)
        parser.add_argument("--contacts", type=_count, default=2000)
        parser.add_argument(
            "--activity",
            type=_scale,
            default=1.0,
            help="members, interactions, leads, deals, tasks: × the demo sizes (0: none)",
        )
        parser.add_argument("--workspace", default=DEMO_SLUG, help="slug of the workspace")
        parser.add_argument("--seed", type=int, default=None, help="for reproducible data")
        parser.add_argument(
            "--if-empty", action="store_true", help="do nothing when any workspace exists"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["if_empty"] and Workspace.objects.exists():
            self.stdout.write("A workspace exists already: no demo data added.")
            return
        started = time.perf_counter()
        with audit_context(source=AuditSource.SYSTEM):
            result = demo_create(
                slug=options["workspace"],
                companies=options["companies"],
                contacts=options["contacts"],
                seed=options["seed"],
                activity=options["activity"],
            )
        seconds = time.perf_counter() - started
        rows = result.companies + result.contacts + result.modules.total()
        self.stdout.write(
            self.style.SUCCESS(
                f"Workspace “{result.workspace.name}” ({result.workspace.slug}): added "
                f"{result.companies:,} companies and {result.contacts:,} contacts "
                f"in {seconds:.1f} s ({rows / max(seconds, 1e-9):,.0f} rows/s)."
            )
        )
        modules = result.modules
        if modules.total():
            self.stdout.write(
                _(
                    "Also added %(members)s members with %(transactions)s transactions, "
                    "%(interactions)s interactions, %(leads)s leads, %(opportunities)s "
                    "opportunities, %(tasks)s tasks and %(targets)s sales targets."
                )
                % {
                    "members": modules.members,
                    "transactions": modules.transactions,
                    "interactions": modules.interactions,
                    "leads": modules.leads,
                    "opportunities": modules.opportunities,
                    "tasks": modules.tasks,
                    "targets": modules.sales_targets,
                }
            )
        if result.logins:
            self.stdout.write("Demo logins (one user per role):")
            for login in result.logins:
                password = login.password or "(existing user, password unchanged)"
                self.stdout.write(f"  {login.username:<10} {login.role:<10} {password}")
            self.stdout.write(f"Demo password: {DEMO_PASSWORD}")


def _count(raw: str) -> int:
    value = int(raw)
    if not 0 <= value <= 10_000_000:
        raise ValueError(raw)
    return value


def _scale(raw: str) -> float:
    value = float(raw)
    if not 0 <= value <= 100:
        raise ValueError(raw)
    return value
