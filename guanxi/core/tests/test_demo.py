"""The demo command: one user per role, realistic unique data, bulk inserts, bulk audit rows."""

from __future__ import annotations

import math
import re
from collections import Counter
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from guanxi.analytics.models import SalesTarget
from guanxi.audit.choices import AuditAction, AuditSource
from guanxi.audit.models import AuditEvent
from guanxi.companies.models import Company
from guanxi.contacts.models import Contact
from guanxi.core.demo import DEMO_MEMBERS, DEMO_PASSWORD, DEMO_TAGS, SALES_TEAM
from guanxi.core.pii import normalise_email, normalise_mobile
from guanxi.interactions.models import Interaction
from guanxi.leads.models import Lead, ScoreHistory
from guanxi.members.models import Member, Transaction
from guanxi.members.selectors import loyalty_settings_of
from guanxi.opportunities.models import Opportunity, StageHistory
from guanxi.tasks.choices import OPEN_STATUSES
from guanxi.tasks.models import Task
from guanxi.users.models import User
from guanxi.workspaces.choices import Role
from guanxi.workspaces.models import Membership, Workspace

pytestmark = pytest.mark.django_db
HAN = re.compile(r"[\u4e00-\u9fff]")


def run_demo(*args: str, activity: str = "0") -> str:
    """The demo command; the modules' activity is off unless a test is about it (it is slower)."""
    out = StringIO()
    call_command("demo", *args, "--activity", activity, stdout=out)
    return out.getvalue()


def test_demo_creates_a_workspace_with_one_member_per_role_who_can_log_in():
    # when
    output = run_demo("--companies", "5", "--contacts", "20", "--seed", "1")

    # then
    workspace = Workspace.objects.get(slug="demo")
    roles = dict(
        Membership.objects.filter(workspace=workspace).values_list("user__username", "role")
    )
    assert roles == {username: role for username, role, _team, _name in DEMO_MEMBERS}
    sales_team = set(
        Membership.objects.filter(workspace=workspace, team__name=SALES_TEAM).values_list(
            "user__username", flat=True
        )
    )
    assert sales_team == {"manager", "sales", "sales2"}
    for username in roles:
        assert User.objects.get(username=username).check_password(DEMO_PASSWORD)
    assert DEMO_PASSWORD in output
    assert "added 5 companies and 20 contacts" in output


def test_demo_data_is_realistic_valid_and_unique():
    # when
    run_demo("--companies", "40", "--contacts", "400", "--seed", "7")

    # then
    workspace = Workspace.objects.get(slug="demo")
    contacts = list(Contact.objects.filter(workspace=workspace))
    assert len(contacts) == 400
    assert Company.objects.filter(workspace=workspace).count() == 40
    mobiles = [c.mobile for c in contacts if c.mobile]
    emails = [c.email for c in contacts if c.email]
    assert len(set(mobiles)) == len(mobiles) > 300
    assert len({e.lower() for e in emails}) == len(emails) > 250
    assert all(normalise_mobile(m) == m for m in mobiles)
    assert all(normalise_email(e) == e for e in emails)
    chinese = [c for c in contacts if HAN.search(c.name)]
    assert 0 < len(chinese) < len(contacts)  # both Chinese and English names
    assert any(c.company_id is None for c in contacts)  # individual customers
    assert any(c.company_id is not None for c in contacts)
    owners = set(
        Membership.objects.filter(
            workspace=workspace, role__in=[Role.MANAGER, Role.SALES]
        ).values_list("user_id", flat=True)
    )
    assert {c.owner_id for c in contacts} - {None} <= owners
    assert len({c.owner_id for c in contacts} - {None}) == 3
    tag_names = set(Contact.tags.through.objects.values_list("tag__name", flat=True))
    assert tag_names <= set(DEMO_TAGS)
    assert tag_names


def test_demo_stores_personal_data_encrypted_and_indexed():
    # given
    run_demo("--companies", "2", "--contacts", "10", "--seed", "3")
    contact = Contact.objects.exclude(mobile="").first()

    # when
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT mobile FROM contacts_contact WHERE id = %s",
            [Contact._meta.pk.get_db_prep_value(contact.pk, connection)],
        )
        (stored,) = cursor.fetchone()

    # then
    assert contact.mobile not in stored
    assert re.match(r"^k\w*\$", stored)
    assert Contact.objects.filter(mobile_index=contact.mobile_index).get() == contact


def test_demo_writes_one_masked_system_audit_row_per_record():
    # when
    run_demo("--companies", "3", "--contacts", "12", "--seed", "5")

    # then
    events = AuditEvent.objects.filter(
        action=AuditAction.CREATE, object_type__in=["companies.company", "contacts.contact"]
    )
    assert events.count() == 15
    assert set(events.values_list("source", flat=True)) == {AuditSource.SYSTEM}
    contact = Contact.objects.exclude(mobile="").first()
    event = events.get(object_id=str(contact.pk))
    assert event.changes["name"] == [None, contact.name]
    assert event.changes["mobile"] == [None, contact.mobile[:3] + "****" + contact.mobile[-4:]]


def inserts_for(model, rows: int, batch_size: int) -> int:
    fields = model._meta.concrete_fields
    return math.ceil(rows / min(batch_size, connection.ops.bulk_batch_size(fields, [None] * rows)))


def test_demo_inserts_in_bulk_not_one_query_per_row():
    # given
    run_demo("--companies", "0", "--contacts", "0")

    # when
    with CaptureQueriesContext(connection) as queries:
        run_demo("--companies", "10", "--contacts", "600", "--seed", "2")

    # then: a few statements per batch of rows (SQLite caps each INSERT at 999 parameters)
    assert Contact.objects.count() == 600
    per_table = Counter(
        q["sql"].split('"')[1] for q in queries.captured_queries if q["sql"].startswith("INSERT")
    )
    assert per_table["contacts_contact"] == inserts_for(Contact, 600, 500)
    audit_inserts = inserts_for(AuditEvent, 600, 1000) + inserts_for(AuditEvent, 10, 1000)
    assert per_table["audit_auditevent"] == audit_inserts
    assert len(queries) - sum(per_table.values()) < 20


def test_demo_if_empty_does_nothing_when_a_workspace_exists(workspace):
    # when
    output = run_demo("--if-empty")

    # then
    assert "no demo data added" in output
    assert list(Workspace.objects.values_list("slug", flat=True)) == ["main"]
    assert not Contact.objects.exists()


def test_demo_run_twice_with_the_same_seed_adds_more_unique_data():
    # given
    run_demo("--companies", "10", "--contacts", "60", "--seed", "9")

    # when
    output = run_demo("--companies", "10", "--contacts", "60", "--seed", "9")

    # then
    assert "Demo logins" not in output  # the workspace existed: no new users
    workspace = Workspace.objects.get(slug="demo")
    contacts = Contact.objects.filter(workspace=workspace)
    assert contacts.count() == 120
    mobile_indexes = [i for i in contacts.values_list("mobile_index", flat=True) if i]
    assert len(set(mobile_indexes)) == len(mobile_indexes)
    names = list(Company.objects.filter(workspace=workspace).values_list("name", flat=True))
    assert len(set(names)) == len(names) == 20
    assert User.objects.count() == len(DEMO_MEMBERS)


def test_demo_in_another_workspace_reuses_the_demo_users():
    # given
    run_demo("--companies", "1", "--contacts", "1")

    # when
    output = run_demo("--companies", "1", "--contacts", "1", "--workspace", "second")

    # then
    assert "(existing user, password unchanged)" in output
    assert Membership.objects.filter(workspace__slug="second").count() == len(DEMO_MEMBERS)
    assert User.objects.count() == len(DEMO_MEMBERS)


@pytest.mark.parametrize(
    "args",
    [["--contacts", "-1"], ["--companies", "abc"], ["--contacts", "10000001"]],
    ids=["negative", "not-a-number", "too-many"],
)
def test_demo_refuses_bad_counts(args):
    with pytest.raises(CommandError):
        run_demo(*args)
    assert not Workspace.objects.exists()


TINY = "0.05"  # 8 members, 15 interactions, 10 leads, 6 deals, 3 tasks


def test_demo_fills_every_module_through_its_services():
    # when
    output = run_demo("--companies", "5", "--contacts", "40", "--seed", "4", activity=TINY)

    # then: every module has rows, with what its services add on top
    workspace = Workspace.objects.get(slug="demo")
    members = list(Member.objects.filter(workspace=workspace))
    assert len(members) == 8
    settings = loyalty_settings_of(workspace)
    assert [m.level for m in members] == [settings.level_for(m.total_consumption) for m in members]
    purchases = Counter(
        Transaction.objects.filter(kind="purchase").values_list("member_id", flat=True)
    )
    assert set(purchases) == {m.pk for m in members}
    assert all(2 <= count <= 6 for count in purchases.values())
    assert Interaction.objects.filter(workspace=workspace).count() == 15
    leads = Lead.objects.filter(workspace=workspace)
    assert leads.count() == 10
    assert ScoreHistory.objects.filter(lead__in=leads).count() == 10
    assert len(set(leads.values_list("score", flat=True))) > 1
    opportunities = Opportunity.objects.filter(workspace=workspace)
    assert opportunities.count() == 6
    assert StageHistory.objects.filter(opportunity__in=opportunities).count() >= 6
    assert Task.objects.filter(workspace=workspace).count() == 3
    targets = SalesTarget.objects.filter(workspace=workspace)
    assert set(targets.values_list("user__username", flat=True)) == {"manager", "sales", "sales2"}
    assert targets.values("month").distinct().count() == 2
    assert "8 members" in output and "6 sales targets" in output
    # and each write left its audit row, as a user's would
    audited = Counter(AuditEvent.objects.values_list("object_type", flat=True))
    assert audited["members.member"] == 8
    assert audited["opportunities.opportunity"] == 6
    assert audited["tasks.task"] == 3


def test_demo_gives_the_sales_user_follow_ups_and_tasks_due_today_and_overdue():
    # when
    run_demo("--companies", "5", "--contacts", "40", "--seed", "6", activity=TINY)

    # then
    today = timezone.localdate()
    follow_ups = Interaction.objects.filter(owner__username="sales", follow_up_done=False)
    assert follow_ups.filter(next_follow_up=today).exists()
    assert follow_ups.filter(next_follow_up__lt=today).exists()
    tasks = Task.objects.filter(owner__username="sales", status__in=OPEN_STATUSES)
    due = [timezone.localtime(task.due_at).date() for task in tasks]
    assert today in due
    assert any(day < today for day in due)


def test_demo_levels_spread_over_normal_vip_and_svip_and_deals_over_the_stages():
    # when
    run_demo("--companies", "10", "--contacts", "150", "--seed", "8", activity="0.4")

    # then
    levels = Counter(Member.objects.values_list("level", flat=True))
    assert set(levels) == {"normal", "vip", "svip"}
    statuses = Counter(Opportunity.objects.values_list("status", flat=True))
    assert set(statuses) == {"open", "won", "lost"}
    assert all(o.lost_reason for o in Opportunity.objects.filter(status="lost"))
    assert Opportunity.objects.values("stage").distinct().count() >= 5


def test_demo_run_twice_adds_activity_without_enrolling_anyone_twice():
    # given
    run_demo("--companies", "5", "--contacts", "40", "--seed", "1", activity=TINY)

    # when
    run_demo("--companies", "0", "--contacts", "0", "--seed", "2", activity=TINY)

    # then
    assert Member.objects.count() == 16
    assert Member.objects.values("contact").distinct().count() == 16
    assert SalesTarget.objects.count() == 6  # this month's and next month's exist already
