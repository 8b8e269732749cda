"""The owner and tags columns: an export's owner and tags import back, owners are active
members of the import's workspace only, tags are split like the tags box, created only when
the import writes (in its transaction, never twice) and added to matched records."""

from __future__ import annotations

from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from guanxi.audit.models import AuditEvent
from guanxi.companies.models import Company
from guanxi.contacts.models import Contact
from guanxi.contacts.tests.factories import ContactFactory
from guanxi.core.models import Tag
from guanxi.imports import exports, importers
from guanxi.imports.importers import ContactImporter
from guanxi.imports.services import (
    import_job_create,
    import_job_map,
    import_job_run,
    import_job_validate,
)
from guanxi.imports.targets import CONTACTS, auto_mapping
from guanxi.imports.tests.helpers import csv_upload
from guanxi.leads.models import Lead
from guanxi.leads.tests.factories import LeadFactory
from guanxi.users.tests.factories import UserFactory
from guanxi.workspaces.choices import Role
from guanxi.workspaces.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def mapped(membership, text, *, target="contacts", mode="create", match_on="", **options):
    job = import_job_create(membership=membership, target=target, upload=csv_upload(text))
    return import_job_map(job=job, mapping=job.mapping, mode=mode, match_on=match_on, **options)


def run(membership, text, **options):
    return import_job_run(job=mapped(membership, text, **options))


def tag_names(record) -> set[str]:
    return set(record.tags.values_list("name", flat=True))


# --- round trip -------------------------------------------------------------------------------
@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_an_exported_owner_and_tags_import_back_into_another_workspace(
    admin, member, other_workspace, api_client, file_format, language
):
    # given a contact owned by a rep with a display name, with two tags
    rep = member(Role.SALES)
    rep.user.display_name = "王经理"
    rep.user.save()
    contact = ContactFactory(workspace=admin.workspace, name="王小明", owner=rep.user)
    contact.tags.set(
        Tag.objects.bulk_create([Tag(workspace=admin.workspace, name=n) for n in ("VIP", "华东")])
    )
    response = api_client(admin).get(
        reverse("imports:export_contacts"), {"format": file_format}, HTTP_ACCEPT_LANGUAGE=language
    )
    data = b"".join(response.streaming_content) if response.streaming else response.content
    # when the file is imported into an empty workspace the rep is a member of too
    MembershipFactory(workspace=other_workspace, user=rep.user, role=Role.SALES)
    importer = member(Role.ADMIN, in_workspace=other_workspace)
    job = import_job_create(
        membership=importer,
        target="contacts",
        upload=SimpleUploadedFile(f"e.{file_format}", data),
    )
    assert {"owner", "tags"} <= set(job.mapping.values())
    import_job_map(job=job, mapping=job.mapping, mode="create")
    job = import_job_run(job=job)
    # then the copy has the same owner and tags, the tags made in that workspace
    assert job.status == "done", job.errors
    copy = Contact.objects.get(workspace=other_workspace)
    assert (copy.name, copy.owner_id) == ("王小明", rep.user_id)
    assert tag_names(copy) == {"VIP", "华东"}
    assert set(copy.tags.values_list("workspace", flat=True)) == {other_workspace.pk}


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_export_headers_and_templates_name_the_owner_and_tags_fields(admin, language):
    with translation.override(language):
        header = exports.header_row(CONTACTS, admin.workspace)
        template = exports.template_header(CONTACTS, admin.workspace)
    assert header[-2:] == template[-2:]  # the template has the columns too, not required
    mapping = auto_mapping(CONTACTS.fields, header)
    assert [mapping[str(header.index(label))] for label in header[-2:]] == ["owner", "tags"]
    assert header[-2:] == (["Owner", "Tags"] if language == "en" else ["负责人", "标签"])


@pytest.mark.parametrize(
    "header", ["负责人", "所有者", "Owner", "owner", "Assigned to"], ids=lambda h: h
)
def test_owner_header_aliases(header):
    assert auto_mapping(CONTACTS.fields, ["姓名", header, "标签"]) == {
        "0": "name",
        "1": "owner",
        "2": "tags",
    }


# --- owner ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "cell",
    ["rep7", "REP7@example.com", "王经理", " 王经理 "],
    ids=["username", "email", "display-name", "padded"],
)
def test_the_owner_is_found_by_username_email_or_display_name(admin, cell):
    rep = MembershipFactory(
        workspace=admin.workspace,
        user=UserFactory(username="rep7", email="rep7@example.com", display_name="王经理"),
    )
    job = run(admin, f"姓名,负责人\n王小明,{cell}\n")
    assert job.status == "done", job.errors
    assert Contact.objects.get().owner_id == rep.user_id


def test_an_empty_owner_cell_keeps_the_importing_member_as_owner(admin):
    job = run(admin, "姓名,负责人\n王小明,\n")
    assert job.status == "done", job.errors
    assert Contact.objects.get().owner_id == admin.user_id


def test_an_unknown_owner_is_a_row_error_naming_row_column_and_value(admin):
    job = run(admin, "姓名,负责人\n王小明,\n李雷,nobody\n")
    assert job.status == "failed"
    assert [(e["row"], e["column"], e["value"], e["reason"]) for e in job.errors] == [
        (3, "负责人", "nobody", "No member of this workspace is called “nobody”.")
    ]
    assert not Contact.objects.exists()


@pytest.mark.parametrize("cell", ["outsider", "outsider@example.com", "外人"])
def test_a_user_of_another_workspace_is_never_the_owner(admin, other_workspace, cell):
    MembershipFactory(
        workspace=other_workspace,
        user=UserFactory(username="outsider", email="outsider@example.com", display_name="外人"),
    )
    job = run(admin, f"姓名,负责人\n王小明,{cell}\n")
    assert job.status == "failed"
    assert job.errors[0]["reason"] == f"No member of this workspace is called “{cell}”."
    assert not Contact.objects.exists()


def test_an_inactive_member_is_not_an_owner(admin):
    MembershipFactory(workspace=admin.workspace, user=UserFactory(username="left"), is_active=False)
    job = run(admin, "姓名,负责人\n王小明,left\n")
    assert job.errors[0]["column"] == "负责人"


def test_a_display_name_two_members_share_is_ambiguous_but_their_usernames_work(admin):
    for username in ("li1", "li2"):
        MembershipFactory(
            workspace=admin.workspace, user=UserFactory(username=username, display_name="李经理")
        )
    job = run(admin, "姓名,负责人\n甲,李经理\n乙,li2\n", all_or_nothing=False)
    assert [(e["row"], e["column"]) for e in job.errors] == [(2, "负责人")]
    assert "Several members" in job.errors[0]["reason"]
    assert Contact.objects.get().owner.username == "li2"


# --- tags -------------------------------------------------------------------------------------
@pytest.mark.parametrize("separator", [",", "，", ";", "；", "、"], ids=repr)
def test_tags_are_split_on_each_separator(admin, separator):
    job = run(admin, f'姓名,标签\n王小明,"VIP{separator} 华东 {separator}{separator}VIP"\n')
    assert job.status == "done", job.errors
    assert tag_names(Contact.objects.get()) == {"VIP", "华东"}
    assert Tag.objects.filter(workspace=admin.workspace).count() == 2


def test_existing_tags_are_reused_and_new_ones_created_once_for_the_file(admin):
    vip = Tag.objects.create(workspace=admin.workspace, name="VIP", group="客户等级")
    job = run(admin, "姓名,标签\n甲,VIP、新标签\n乙,新标签\n")
    assert job.status == "done", job.errors
    assert Tag.objects.filter(workspace=admin.workspace).count() == 2
    new = Tag.objects.get(name="新标签")
    assert (new.workspace_id, new.group) == (admin.workspace.pk, "")
    jia, yi = Contact.objects.get(name="甲"), Contact.objects.get(name="乙")
    assert set(jia.tags.all()) == {vip, new}
    assert set(yi.tags.all()) == {new}
    # the create events list the tags, as a record created in the UI does
    event = AuditEvent.objects.get(object_id=str(jia.pk), action="create")
    assert event.changes["tags"] == [[], ["VIP", "新标签"]]


def test_companies_take_owner_and_tags_too(admin):
    rep = member_user(admin.workspace, "rep")
    job = run(admin, "公司名称,负责人,标签\n甲公司,rep,重点客户\n", target="companies")
    assert job.status == "done", job.errors
    company = Company.objects.get()
    assert company.owner == rep
    assert tag_names(company) == {"重点客户"}


def member_user(workspace, username):
    return MembershipFactory(workspace=workspace, user=UserFactory(username=username)).user


# --- hostile input ----------------------------------------------------------------------------
def test_markup_in_a_tag_is_kept_as_text_and_shown_escaped(admin, api_client):
    # the tags box of a record form accepts any text under the length limit; pages escape it
    job = mapped(admin, '姓名,标签\n王小明,"<script>alert(1)</script>"\n')
    import_job_validate(job=job, membership=admin)
    page = api_client(admin).get(job.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "New tags: &lt;script&gt;alert(1)&lt;/script&gt;" in page
    job = import_job_run(job=job)
    assert tag_names(Contact.objects.get()) == {"<script>alert(1)</script>"}


def test_a_tag_longer_than_the_limit_is_a_row_error(admin):
    job = run(admin, f"姓名,标签\n王小明,{'长' * 500}\n")
    assert job.status == "failed"
    assert [(e["row"], e["column"]) for e in job.errors] == [(2, "标签")]
    assert "at most 50 characters" in job.errors[0]["reason"]
    assert not Tag.objects.exists()


def test_a_formula_as_owner_is_a_row_error_not_a_lookup(admin):
    job = run(admin, '姓名,负责人\n王小明,"=HYPERLINK(""http://x"",""y"")"\n')
    assert job.status == "failed"
    error = job.errors[0]
    assert (error["column"], error["value"]) == ("负责人", '=HYPERLINK("http://x","y")')
    assert error["reason"].startswith("No member of this workspace is called “=HYPERLINK(")


# --- preview and the kept rows ----------------------------------------------------------------
def test_the_preview_names_the_tags_to_create_and_creates_none(admin, api_client):
    Tag.objects.create(workspace=admin.workspace, name="VIP")
    job = mapped(admin, "姓名,标签\n王小明,VIP，新客\n")
    import_job_validate(job=job, membership=admin)
    assert list(Tag.objects.values_list("name", flat=True)) == ["VIP"]
    page = api_client(admin).get(job.get_absolute_url()).content.decode()
    assert "New tags: 新客" in page


def no_second_validation():
    return mock.patch.object(
        ContactImporter, "validate", side_effect=AssertionError("validated twice")
    )


def test_a_tag_created_between_preview_and_import_is_reused(admin):
    job = mapped(admin, "姓名,标签\n王小明,新客\n李雷,新客\n")
    import_job_validate(job=job, membership=admin)
    made_meanwhile = Tag.objects.create(workspace=admin.workspace, name="新客")
    with no_second_validation():
        job = import_job_run(job=job)
    assert job.status == "done", job.errors
    assert list(Tag.objects.filter(workspace=admin.workspace)) == [made_meanwhile]
    assert Contact.objects.filter(tags=made_meanwhile).count() == 2


def test_an_owner_who_left_between_preview_and_import_fails_the_row(admin):
    rep = MembershipFactory(workspace=admin.workspace, user=UserFactory(username="rep"))
    job = mapped(admin, "姓名,负责人\n王小明,rep\n李雷,\n")
    assert import_job_validate(job=job, membership=admin).invalid_count == 0
    rep.is_active = False
    rep.save()
    with no_second_validation():
        job = import_job_run(job=job)
    assert (job.status, job.created_count) == ("failed", 0)
    assert [(e["row"], e["column"], e["value"]) for e in job.errors] == [(2, "负责人", "rep")]
    assert "no longer an active member" in job.errors[0]["reason"]
    assert not Contact.objects.exists()


def test_an_import_that_dies_after_making_its_tags_leaves_no_tag_behind(admin, monkeypatch):
    job = mapped(admin, "姓名,标签\n王小明,新客\n")

    def die(*args, **kwargs):
        assert Tag.objects.filter(name="新客").exists()  # made, in the import's transaction
        raise RuntimeError("worker died")

    # the last step of the write, after the tags and their links
    monkeypatch.setattr(importers, "refresh_quality", die)
    with pytest.raises(RuntimeError):
        import_job_run(job=job)
    assert not Tag.objects.exists()
    assert not Contact.objects.exists()


# --- upsert -----------------------------------------------------------------------------------
def test_upsert_adds_the_files_tags_and_replaces_a_named_owner(admin):
    rep = member_user(admin.workspace, "rep")
    wang = ContactFactory(workspace=admin.workspace, mobile="13800138000", owner=admin.user)
    li = ContactFactory(workspace=admin.workspace, mobile="13800138001", owner=admin.user)
    wang.tags.set([Tag.objects.create(workspace=admin.workspace, name="老客")])
    text = "手机,负责人,标签\n13800138000,rep,新客；老客\n13800138001,,新客\n"
    job = run(admin, text, mode="upsert", match_on="mobile")
    assert (job.status, job.updated_count) == ("done", 2), job.errors
    wang.refresh_from_db()
    li.refresh_from_db()
    assert (tag_names(wang), wang.owner_id) == ({"老客", "新客"}, rep.pk)
    # an empty owner cell leaves the owner as it was
    assert (tag_names(li), li.owner_id) == ({"新客"}, admin.user_id)
    event = AuditEvent.objects.get(object_id=str(wang.pk), action="update", source="import")
    assert event.changes == {
        "owner": [str(admin.user_id), str(rep.pk)],
        "tags": [["老客"], ["新客", "老客"]],  # sorted, as the tags box audits them
    }


def test_upsert_of_tags_a_record_already_has_changes_nothing(admin):
    contact = ContactFactory(workspace=admin.workspace, mobile="13800138000")
    contact.tags.set([Tag.objects.create(workspace=admin.workspace, name="老客")])
    job = run(admin, "手机,标签\n13800138000,老客\n", mode="upsert", match_on="mobile")
    assert (job.status, job.updated_count, job.skipped_count) == ("done", 0, 1), job.errors
    assert not AuditEvent.objects.filter(source="import").exists()


# --- query counts -----------------------------------------------------------------------------
def contacts_file(count: int, start: int, tag: str) -> str:
    rows = [f"客户{i},139{i:08d},rep,{tag}{i % 3}、共同" for i in range(start, start + count)]
    return "姓名,手机,负责人,标签\n" + "\n".join(rows) + "\n"


# the contacts' own multi-row INSERT and UPDATE statements are split by SQLite's limit on
# parameters (about 24 contacts a statement); that batching is not what these tests are about
RECORD_BATCHES = ('INSERT INTO "contacts_contact" ', 'UPDATE "contacts_contact" ')


def queries_of(membership, text, **options) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        job = run(membership, text, **options)
    assert job.status == "done", job.errors
    return [q["sql"] for q in captured.captured_queries if not q["sql"].startswith(RECORD_BATCHES)]


def test_the_import_of_owner_and_tags_takes_the_same_queries_for_10_or_50_rows(admin):
    member_user(admin.workspace, "rep")
    ten = queries_of(admin, contacts_file(10, 0, "甲"))
    # new tags again, so that the larger file takes the same path
    fifty = queries_of(admin, contacts_file(50, 100, "乙"))
    assert len(fifty) == len(ten)
    assert Contact.objects.filter(tags__name="共同").count() == 60


def test_an_upsert_of_tags_takes_the_same_queries_for_10_or_50_rows(admin):
    member_user(admin.workspace, "rep")
    run(admin, contacts_file(60, 0, "甲"))
    ten = queries_of(admin, contacts_file(10, 0, "乙"), mode="upsert", match_on="mobile")
    fifty = queries_of(admin, contacts_file(50, 10, "乙"), mode="upsert", match_on="mobile")
    # the larger file finds the tags the first one made: fewer queries, never more
    assert len(fifty) <= len(ten)
    assert Contact.objects.filter(tags__name="乙0").count() == 20


# --- leads ------------------------------------------------------------------------------------
def test_a_lead_row_naming_its_owner_is_not_routed_and_gets_its_tags(admin):
    rep = member_user(admin.workspace, "rep")
    text = "姓名,手机,负责人,标签\n王小明,13800138000,rep,展会；华东\n李雷,13800138001,,展会\n"
    job = run(admin, text, target="leads")
    assert (job.status, job.created_count) == ("done", 2), job.errors
    wang, li = Lead.objects.get(name="王小明"), Lead.objects.get(name="李雷")
    assert (wang.owner, tag_names(wang)) == (rep, {"展会", "华东"})
    assert tag_names(li) == {"展会"}
    assert Tag.objects.filter(workspace=admin.workspace).count() == 2


def test_a_lead_upsert_adds_tags(admin):
    lead = LeadFactory(workspace=admin.workspace, mobile="13800138000")
    lead.tags.set([Tag.objects.create(workspace=admin.workspace, name="老客")])
    job = run(
        admin, "手机,标签\n13800138000,展会\n", target="leads", mode="upsert", match_on="mobile"
    )
    assert (job.status, job.updated_count) == ("done", 1), job.errors
    assert tag_names(lead) == {"老客", "展会"}


def test_a_lead_owner_of_another_workspace_is_refused(admin, other_workspace):
    member_user(other_workspace, "outsider")
    job = run(admin, "姓名,负责人\n王小明,outsider\n", target="leads")
    assert job.status == "failed"
    assert job.errors[0]["column"] == "负责人"
    assert not Lead.objects.exists()


def test_a_company_created_for_a_contact_keeps_the_importing_member_as_owner(admin):
    rep = member_user(admin.workspace, "rep")
    job = run(admin, "姓名,公司,负责人\n王小明,乙公司,rep\n")
    assert job.status == "done", job.errors
    assert Contact.objects.get().owner == rep
    assert Company.objects.get(name="乙公司").owner_id == admin.user_id
