"""Planner statistics: a bulk demo load leaves the database with statistics for its tables."""

import io

import pytest
from django.core.management import call_command
from django.db import connection

from guanxi.core.database import planner_statistics_maintain


def statistics_rows(table: str) -> int:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT count(*) FROM sqlite_stat1 WHERE tbl = %s", [table])
        else:
            cursor.execute("SELECT count(*) FROM pg_stats WHERE tablename = %s", [table])
        return cursor.fetchone()[0]


@pytest.mark.django_db
def test_demo_load_leaves_planner_statistics():
    # when demo data is loaded in bulk
    call_command("demo", companies=3, contacts=10, stdout=io.StringIO())

    # then the planner knows the contacts table and its indexes
    assert statistics_rows("contacts_contact") > 0


@pytest.mark.django_db
def test_daily_maintenance_runs_on_this_database():
    # the periodic job's body must run on both engines without error
    planner_statistics_maintain()
