"""Database upkeep the query planner needs: statistics after bulk loads and once a day."""

from __future__ import annotations

from django.db import connection


def planner_statistics_refresh() -> None:
    """ANALYZE everything: SQLite has no statistics at all until asked, and a fresh bulk load
    leaves PostgreSQL's autovacuum behind, so both would pick poor plans for a while."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def planner_statistics_maintain() -> None:
    """The cheap daily form: SQLite's PRAGMA optimize re-analyses only tables that drifted;
    PostgreSQL's autovacuum already does this."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA optimize")
