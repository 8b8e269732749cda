"""The quality pages: duplicates list, scan, dismiss, compare-and-merge, redirects of merged
ids, the typing hint, the detail panel, settings and the company aliases field."""

from __future__ import annotations

import pytest
from django.urls import reverse

from guanxi.companies.models import CompanyAlias
from guanxi.companies.tests.factories import CompanyFactory
from guanxi.contacts.models import Contact
from guanxi.contacts.services import contact_create
from guanxi.contacts.tests.factories import ContactFactory
from guanxi.core.testing_views import ui_client
from guanxi.quality.choices import CandidateStatus, RecordType
from guanxi.quality.models import DuplicateCandidate, MergedRecord, QualitySettings
from guanxi.quality.tests.factories import candidate_in
from guanxi.workspaces.choices import Role

pytestmark = pytest.mark.django_db
MERGE_URL = "/quality/contacts/merge/"


def twins(workspace, **extra):
    a = ContactFactory(workspace=workspace, name="张伟", mobile="", email="", job_title="", **extra)
    b = ContactFactory(
        workspace=workspace, name="张 伟", mobile="13900001111", email="", job_title="总监"
    )
    return a, b


# --- duplicates list, scan, dismiss ---------------------------------------------------------------
def test_empty_list_explains_what_to_do(admin):
    response = ui_client(admin).get(reverse("quality:duplicates"))
    assert response.status_code == 200
    assert "No possible duplicates found." in response.content.decode()


def test_scan_button_finds_pairs_shown_best_first(
    admin, workspace, django_capture_on_commit_callbacks
):
    a, b = twins(workspace)
    client = ui_client(admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("quality:scan"), {"type": "contacts"})
    assert response.status_code == 302
    page = client.get(reverse("quality:duplicates")).content.decode()
    assert a.get_absolute_url() in page and b.get_absolute_url() in page
    assert "same name" in page
    assert f"ids={min(str(a.pk), str(b.pk))}" in page


@pytest.mark.parametrize("kind", ["companies", "nonsense", "<script>"], ids=str)
def test_list_tolerates_any_type_parameter(kind, admin):
    assert ui_client(admin).get(reverse("quality:duplicates"), {"type": kind}).status_code == 200


def test_pairs_with_a_record_the_member_cannot_see_are_hidden(workspace, member):
    sales = member(Role.SALES)
    candidate = candidate_in(workspace)  # records without owner: the team pool…
    Contact.objects.filter(pk=candidate.a_id).update(owner=member(Role.ADMIN).user)  # …but not this
    page = ui_client(sales).get(reverse("quality:duplicates")).content.decode()
    assert str(candidate.b_id) not in page


def test_dismiss_marks_the_pair(admin, workspace):
    candidate = candidate_in(workspace)
    response = ui_client(admin).post(reverse("quality:dismiss", args=[candidate.pk]))
    assert response.status_code == 302
    candidate.refresh_from_db()
    assert candidate.status == CandidateStatus.DISMISSED


@pytest.mark.parametrize("role", [Role.SALES, Role.VIEWER], ids=str)
def test_roles_without_change_cannot_dismiss_or_scan(role, member, workspace):
    candidate = candidate_in(workspace)
    client = ui_client(member(role))
    assert client.post(reverse("quality:dismiss", args=[candidate.pk])).status_code == 403
    assert client.post(reverse("quality:scan")).status_code == 403
    candidate.refresh_from_db()
    assert candidate.status == CandidateStatus.OPEN


# --- compare and merge --------------------------------------------------------------------------------
def test_compare_page_preselects_the_survivors_non_empty_values(admin, workspace):
    a, b = twins(workspace)
    response = ui_client(admin).get(MERGE_URL, {"ids": [a.pk, b.pk]})
    page = response.content.decode()
    assert response.status_code == 200
    # name differs: the survivor's is checked; job title is empty on the survivor: the other's
    assert f'name="name" value="{a.pk}" checked' in page
    assert f'name="job_title" value="{b.pk}" checked' in page


def test_merge_applies_choices_and_redirects_to_the_survivor(admin, workspace):
    a, b = twins(workspace)
    client = ui_client(admin)
    response = client.post(
        MERGE_URL,
        {"ids": [a.pk, b.pk], "survivor": a.pk, "name": b.pk, "job_title": b.pk, "confirm": "1"},
    )
    assert response.status_code == 302 and response["Location"] == a.get_absolute_url()
    a.refresh_from_db()
    assert (a.name, a.job_title, a.mobile) == ("张 伟", "总监", "13900001111")
    # the old URL leads to the survivor
    old = client.get(reverse("contacts:detail", args=[b.pk]))
    assert old.status_code == 302 and old["Location"] == a.get_absolute_url()
    survivor_page = client.get(a.get_absolute_url()).content.decode()
    assert "records were merged" in survivor_page or "总监" in survivor_page


def test_merge_without_confirmation_changes_nothing(admin, workspace):
    a, b = twins(workspace)
    response = ui_client(admin).post(MERGE_URL, {"ids": [a.pk, b.pk], "survivor": a.pk})
    assert response.status_code == 400
    assert "Tick the confirmation" in response.content.decode()
    assert Contact.objects.filter(pk=b.pk).exists()


@pytest.mark.parametrize(
    "ids",
    [
        lambda own, foreign: [own.pk, foreign.pk],
        lambda own, foreign: [own.pk, own.pk],
        lambda own, foreign: [own.pk, "x"],
    ],
    ids=["other-workspace", "itself", "not-a-uuid"],
)
def test_hostile_merge_requests_are_404(ids, admin, workspace, other_workspace):
    own = ContactFactory(workspace=workspace)
    foreign = ContactFactory(workspace=other_workspace)
    client = ui_client(admin)
    wanted = ids(own, foreign)
    assert client.get(MERGE_URL, {"ids": wanted}).status_code == 404
    response = client.post(MERGE_URL, {"ids": wanted, "survivor": own.pk, "confirm": "1"})
    assert response.status_code == 404
    assert (
        Contact.objects.filter(pk=foreign.pk).exists()
        and Contact.objects.filter(pk=own.pk).exists()
    )


def test_roles_that_may_not_delete_may_not_merge(member, workspace):
    a, b = twins(workspace)
    client = ui_client(member(Role.SALES))
    assert client.get(MERGE_URL, {"ids": [a.pk, b.pk]}).status_code == 403
    assert client.post(MERGE_URL, {"ids": [a.pk, b.pk], "confirm": "1"}).status_code == 403


def test_another_workspaces_merged_id_does_not_redirect(admin, workspace, other_workspace):
    # given a merge record of the other workspace whose survivor id exists here
    here = ContactFactory(workspace=workspace)
    old = ContactFactory(workspace=other_workspace)
    MergedRecord.objects.create(
        workspace=other_workspace,
        record_type=RecordType.CONTACT,
        old_id=old.pk,
        survivor_id=here.pk,
    )
    old_id = old.pk
    old.delete()
    assert ui_client(admin).get(reverse("contacts:detail", args=[old_id])).status_code == 404


def test_company_merge_page_works_too(admin, workspace):
    a = CompanyFactory(workspace=workspace, name="上海关系科技有限公司")
    b = CompanyFactory(workspace=workspace, name="上海关系科技")
    client = ui_client(admin)
    assert client.get("/quality/companies/merge/", {"ids": [a.pk, b.pk]}).status_code == 200
    response = client.post(
        "/quality/companies/merge/", {"ids": [a.pk, b.pk], "survivor": a.pk, "confirm": "1"}
    )
    assert response.status_code == 302
    assert list(CompanyAlias.objects.filter(company=a).values_list("name", flat=True)) == [
        "上海关系科技"
    ]


# --- find duplicates of one record, the typing hint -------------------------------------------------
def test_find_duplicates_page_lists_look_alikes(admin, workspace):
    saved = contact_create(workspace=workspace, actor=admin.user, name="张伟")
    other = contact_create(workspace=workspace, actor=admin.user, name="张 伟")
    response = ui_client(admin).get(reverse("quality:contacts_duplicates", args=[saved.pk]))
    assert response.status_code == 200
    assert other.get_absolute_url() in response.content.decode()


def test_hint_names_the_possible_duplicate_with_its_score(admin, workspace):
    saved = contact_create(workspace=workspace, actor=admin.user, name="张伟", mobile="13800001234")
    response = ui_client(admin).get(
        reverse("quality:contacts_check"), {"name": "Zhang Wei", "mobile": "138-0000-1234"}
    )
    page = response.content.decode()
    assert "Possible duplicate" in page and saved.get_absolute_url() in page


@pytest.mark.parametrize(
    "query",
    [
        {"name": "<script>alert(1)</script>"},
        {"mobile": "x" * 10_000},
        {"record": "not-a-uuid", "name": "a"},
        {},
    ],
    ids=["html", "huge", "bad-record", "empty"],
)
def test_hint_survives_hostile_input(query, admin):
    response = ui_client(admin).get(reverse("quality:contacts_check"), query)
    assert response.status_code == 200
    assert "<script>" not in response.content.decode()


def test_hint_never_shows_another_workspaces_records(admin, other_workspace):
    ContactFactory(workspace=other_workspace, name="张伟")
    response = ui_client(admin).get(reverse("quality:contacts_check"), {"name": "张伟"})
    assert response.content.decode().strip() == ""


def test_contact_form_has_the_hint_slot(admin):
    page = ui_client(admin).get(reverse("contacts:create")).content.decode()
    assert 'id="duplicate-hint"' in page and "quality/quality.js" in page


# --- detail panel, settings, aliases ------------------------------------------------------------------------
def test_detail_page_shows_completeness_and_actions(admin, workspace):
    contact = contact_create(workspace=workspace, actor=admin.user, name="张伟")
    page = ui_client(admin).get(contact.get_absolute_url()).content.decode()
    assert 'id="data-quality-panel"' in page
    assert reverse("quality:contacts_duplicates", args=[contact.pk]) in page
    assert "Missing:" in page


def test_company_panel_lists_aliases(admin, workspace):
    from guanxi.companies.services import company_create

    company = company_create(
        workspace=workspace, actor=admin.user, name="北京字节跳动科技有限公司", aliases="字节跳动"
    )
    page = ui_client(admin).get(company.get_absolute_url()).content.decode()
    assert "字节跳动</span>" in page


def test_company_form_saves_aliases(admin, workspace):
    client = ui_client(admin)
    response = client.post(
        reverse("companies:create"),
        {
            "name": "北京字节跳动科技有限公司",
            "aliases": "字节跳动，ByteDance\n字节跳动",
            "lifecycle_stage": "lead",
            "customer_type": "prospect",
            "country": "中国",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    names = sorted(CompanyAlias.objects.filter(workspace=workspace).values_list("name", flat=True))
    assert names == ["ByteDance", "字节跳动"]
    company = CompanyAlias.objects.filter(workspace=workspace).first().company
    edit = client.get(reverse("companies:edit", args=[company.pk])).content.decode()
    assert "ByteDance" in edit


def test_settings_are_for_administrators(admin, member, workspace):
    assert ui_client(member(Role.MANAGER)).get(reverse("quality:settings")).status_code == 403
    client = ui_client(admin)
    assert client.get(reverse("quality:settings")).status_code == 200
    data = {"duplicate_threshold": 70, "completeness_threshold": 60}
    data |= {
        f"contact__{n}": 1
        for n in (
            "name",
            "mobile",
            "email",
            "company",
            "job_title",
            "city",
            "industry",
            "source",
            "owner",
        )
    }
    data |= {
        f"company__{n}": 2
        for n in ("name", "industry", "size", "phone", "website", "province", "city", "owner")
    }
    response = client.post(reverse("quality:settings"), data)
    assert response.status_code == 302
    settings = QualitySettings.objects.get(workspace=workspace)
    assert (settings.duplicate_threshold, settings.completeness_threshold) == (70, 60)
    assert settings.contact_weights["email"] == 1


@pytest.mark.parametrize("value", ["-1", "101", "abc", "1e9"], ids=str)
def test_settings_refuse_out_of_range_values(value, admin):
    response = ui_client(admin).post(
        reverse("quality:settings"), {"duplicate_threshold": value, "completeness_threshold": 80}
    )
    assert response.status_code == 400
    assert not QualitySettings.objects.exists()


def test_no_candidate_is_created_by_viewing(admin, workspace):
    twins(workspace)
    ui_client(admin).get(reverse("quality:duplicates"))
    assert not DuplicateCandidate.objects.exists()
