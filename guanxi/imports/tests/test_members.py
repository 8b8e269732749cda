"""Members and transactions (MEM-5): enrolment through the members services, contacts found
or created, levels following imported purchases, all or nothing, idempotent re-imports."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from guanxi.contacts.models import Contact
from guanxi.contacts.tests.factories import ContactFactory
from guanxi.imports.services import import_job_create, import_job_map, import_job_run
from guanxi.imports.tests.helpers import csv_upload
from guanxi.members.models import Member, Transaction
from guanxi.members.tests.factories import MemberFactory
from guanxi.workspaces.choices import Role

pytestmark = pytest.mark.django_db


def run(membership, target, text, **options):
    job = import_job_create(membership=membership, target=target, upload=csv_upload(text))
    import_job_map(job=job, mapping=job.mapping, **{"mode": "create", **options})
    return import_job_run(job=job)


def test_members_are_enrolled_for_found_and_new_contacts(admin):
    # given one contact that exists
    existing = ContactFactory(workspace=admin.workspace, name="王小明", mobile="13800138000")
    text = "会员编号,姓名,手机,入会日期,状态\nVIP001,王小明,13800138000,2024-01-05,正常\n,李雷,13800138001,,\n"
    job = run(admin, "members", text)
    # then both are members: the known contact, and a new contact for the unknown mobile
    assert (job.status, job.created_count) == ("done", 2), job.errors
    wang = Member.objects.get(contact=existing)
    assert (wang.member_number, str(wang.joined_at), wang.status) == (
        "VIP001",
        "2024-01-05",
        "active",
    )
    li = Member.objects.get(contact__name="李雷")
    assert li.member_number  # from the workspace's sequence
    assert Contact.objects.count() == 2


def test_member_rows_with_problems_write_nothing(admin):
    MemberFactory(workspace=admin.workspace, member_number="VIP001")
    text = "会员编号,姓名,手机\nVIP001,甲,13800138005\nVIP002,乙,123\nVIP003,,13800138006\n"
    job = run(admin, "members", text)
    assert job.status == "failed"
    assert sorted((e["row"], e["column"]) for e in job.errors) == [
        (2, "会员编号"),
        (3, "手机"),
        (4, "姓名"),
    ]
    assert Member.objects.count() == 1


def test_a_contact_who_is_already_a_member_is_an_error(admin):
    member = MemberFactory(workspace=admin.workspace)
    job = run(admin, "members", f"手机\n{member.contact.mobile}\n")
    assert "already member" in job.errors[0]["reason"]


def test_members_upsert_by_member_number(admin):
    member = MemberFactory(workspace=admin.workspace, member_number="VIP9")
    job = run(
        admin, "members", "会员编号,状态\nVIP9,冻结\n", mode="upsert", match_on="member_number"
    )
    assert (job.status, job.updated_count) == ("done", 1), job.errors
    member.refresh_from_db()
    assert member.status == "frozen"


def test_transactions_update_totals_and_levels_and_reimport_is_idempotent(admin):
    # given a member
    member = MemberFactory(workspace=admin.workspace, member_number="VIP1")
    text = (
        "会员编号,类型,日期,金额,门店,订单号\n"
        "VIP1,消费,2026-01-02,800.00,静安店,SO-1\n"
        'VIP1,Purchase,2026-01-03,"1,200.50",静安店,SO-2\n'
        "VIP1,退货,2026-01-04,100,静安店,SO-3\n"
    )
    # when the purchases are imported
    job = run(admin, "transactions", text)
    # then the member's spend and level follow them
    assert (job.status, job.created_count) == ("done", 3), job.errors
    member.refresh_from_db()
    assert member.total_consumption == Decimal("1900.50")
    assert member.level == "vip"
    # and importing the same file again records nothing twice
    again = run(admin, "transactions", text)
    assert (again.created_count, again.updated_count) == (0, 3)
    assert Transaction.objects.count() == 3


def test_transaction_rows_are_checked_before_anything_is_written(admin):
    MemberFactory(workspace=admin.workspace, member_number="VIP1")
    text = (
        "会员编号,类型,日期,金额\n"
        "VIP1,消费,2026-01-02,10\n"
        "VIP404,消费,2026-01-02,10\n"
        "VIP1,消费,2026-01-02,0.001\n"
        "VIP1,赠送,2099-01-01,10\n"
    )
    job = run(admin, "transactions", text)
    assert job.status == "failed"
    assert sorted((e["row"], e["column"]) for e in job.errors) == [
        (3, "会员编号"),
        (4, "金额"),
        (5, "日期"),
        (5, "类型"),
    ]
    assert not Transaction.objects.exists()


def test_members_and_transactions_export_with_masking(member, api_client):
    marketing = member(Role.MARKETING)
    record = MemberFactory(workspace=marketing.workspace, member_number="VIP7")
    record.contact.mobile = "13800138000"
    record.contact.save()
    response = api_client(marketing).get(reverse("imports:export_members"), {"format": "csv"})
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    header, row = list(csv.reader(io.StringIO(body)))
    values = dict(zip(header, row, strict=True))
    assert (values["Member number"], values["Mobile"]) == ("VIP7", "138****8000")
    response = api_client(marketing).get(reverse("imports:export_transactions"))
    assert response.status_code == 200
