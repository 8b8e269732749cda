"""Round robin stays fair under concurrent requests on PostgreSQL (SQLite serialises writers,
so this only proves something on a server database; skipped elsewhere)."""

from __future__ import annotations

import threading
from collections import Counter

import pytest
from django.db import close_old_connections, connection

from guanxi.assignment.services import assign
from guanxi.assignment.tests.factories import AssignmentRuleFactory
from guanxi.leads.tests.factories import LeadFactory
from guanxi.workspaces.choices import Role
from guanxi.workspaces.tests.factories import TeamFactory

THREADS = 12
TEAM_SIZE = 4

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL (GUANXI_DATABASE_URL)"
    ),
]


def run_together(work, count: int = THREADS) -> list:
    barrier = threading.Barrier(count)
    results: list = [None] * count

    def worker(index: int) -> None:
        try:
            barrier.wait()
            results[index] = work(index)
        except Exception as exc:  # the test inspects it
            results[index] = exc
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_concurrent_assignments_go_round_the_team_evenly(workspace, member):
    # given a team of 4 and a round-robin rule, and 12 leads arriving at the same moment
    team = TeamFactory(workspace=workspace)
    users = [member(Role.SALES, team=team).user for _ in range(TEAM_SIZE)]
    AssignmentRuleFactory(workspace=workspace, target_kind="team", target_team=team)
    leads = [LeadFactory(workspace=workspace) for _ in range(THREADS)]
    # when each request assigns one of them
    results = run_together(lambda i: assign(leads[i], object_type="lead", actor=None).user.pk)
    # then no turn was lost or taken twice: everyone got exactly 3
    assert not [r for r in results if isinstance(r, Exception)], results
    assert Counter(results) == {user.pk: THREADS // TEAM_SIZE for user in users}
