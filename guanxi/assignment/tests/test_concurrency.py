"""Round robin stays fair under concurrent requests on PostgreSQL (SQLite serialises writers,
so this only proves something on a server database; skipped elsewhere)."""

from __future__ import annotations

from collections import Counter
from functools import partial

from guanxi.assignment.services import assign
from guanxi.assignment.tests.factories import AssignmentRuleFactory
from guanxi.core.testing_threads import POSTGRES_THREADS
from guanxi.core.testing_threads import run_together as run_threads
from guanxi.leads.tests.factories import LeadFactory
from guanxi.workspaces.choices import Role
from guanxi.workspaces.tests.factories import TeamFactory

THREADS = 12
TEAM_SIZE = 4

pytestmark = POSTGRES_THREADS

# every test starts THREADS threads at once
run_together = partial(run_threads, count=THREADS)


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
