"""Contact pages: the shared view checks, plus PII validation, masking, search, filters and bulk actions."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse

from guanxi.audit.models import AuditEvent
from guanxi.companies.tests.factories import CompanyFactory
from guanxi.contacts.models import Contact
from guanxi.contacts.tests.factories import ContactFactory
from guanxi.core.models import Tag
from guanxi.core.testing import row_state
from guanxi.core.testing_views import ViewTestCases, audit_events_of, ui_client
from guanxi.workspaces.choices import Role

pytestmark = pytest.mark.django_db

VALID = {"name": "王小明", "lifecycle_stage": "lead", "customer_type": "prospect"}


class TestContactViews(ViewTestCases):
    namespace = "contacts"
    model = Contact

    def make(self, workspace, **kwargs: Any) -> Contact:
        return ContactFactory(workspace=workspace, **kwargs)

    def make_rich(self, workspace, *, owner) -> Contact:
        company = CompanyFactory(workspace=workspace)
        contact = self.make(workspace, owner=owner, company=company)
        contact.tags.set([Tag.objects.get_or_create(workspace=workspace, name="VIP")[0]])
        return contact

    def create_data(self) -> dict[str, Any]:
        return {**VALID, "mobile": "138 0013 8000", "email": "wang@example.com", "tags": "VIP"}

    def update_data(self, obj) -> dict[str, Any]:
        return {
            **VALID,
            "name": f"{obj.name}（新）",
            "mobile": obj.mobile,
            "email": obj.email,
            "owner": obj.owner_id or "",
            "lifecycle_stage": "customer",
        }


def list_names(response) -> list[str]:
    return [contact.name for contact in response.context["object_list"]]


class TestContactCreate:
    @pytest.mark.parametrize(
        "mobile",
        ["12345", "138001380001", "<script>", "1" * 5000],
        ids=["short", "long", "html", "huge"],
    )
    def test_an_invalid_mobile_shows_the_error_and_writes_nothing(self, admin, mobile) -> None:
        response = ui_client(admin).post(reverse("contacts:create"), {**VALID, "mobile": mobile})
        assert response.status_code == 200
        errors = response.context["form"].errors
        assert list(errors) == ["mobile"]
        assert "China mobile" in errors["mobile"][0]
        assert not Contact.objects.exists()
        assert not AuditEvent.objects.filter(source="ui").exists()

    def test_a_duplicate_mobile_names_the_existing_contact(self, admin) -> None:
        existing = ContactFactory(workspace=admin.workspace, name="李雷", mobile="13800138000")
        response = ui_client(admin).post(
            reverse("contacts:create"), {**VALID, "mobile": "+86 138-0013-8000"}
        )
        assert response.status_code == 200
        [message] = response.context["form"].errors["mobile"]
        assert "李雷" in message and str(existing.pk) in message
        assert Contact.objects.count() == 1

    def test_validate_only_answers_the_changed_fields_errors_and_saves_nothing(self, admin) -> None:
        response = ui_client(admin).post(
            reverse("contacts:create"),
            {"mobile": "123"},
            HTTP_HX_REQUEST="true",
            HTTP_X_VALIDATE_ONLY="true",
            HTTP_X_VALIDATE_FIELD="mobile",
        )
        body = response.content.decode()
        assert response.status_code == 200
        assert 'id="errors-id_mobile"' in body and 'hx-swap-oob="true"' in body
        assert "China mobile" in body
        # the empty, required name is not reported: the user has not reached it yet
        assert "errors-id_name" not in body
        assert not Contact.objects.exists()

    def test_validate_only_of_a_fixed_field_clears_its_error(self, admin) -> None:
        response = ui_client(admin).post(
            reverse("contacts:create"),
            {"mobile": "13800138000"},
            HTTP_X_VALIDATE_ONLY="true",
            HTTP_X_VALIDATE_FIELD="mobile",
        )
        assert response.content.decode().strip() == (
            '<div id="errors-id_mobile" class="invalid-feedback d-block" data-errors-for="id_mobile" hx-swap-oob="true"></div>'
        )

    def test_company_by_name_and_another_workspaces_company_is_refused(
        self, admin, other_workspace
    ) -> None:
        mine = CompanyFactory(workspace=admin.workspace, name="上海华为")
        CompanyFactory(workspace=other_workspace, name="别人的公司")
        client = ui_client(admin)
        refused = client.post(reverse("contacts:create"), {**VALID, "company": "别人的公司"})
        assert list(refused.context["form"].errors) == ["company"]
        client.post(reverse("contacts:create"), {**VALID, "company": " 上海华为 "})
        assert Contact.objects.get().company_id == mine.pk

    def test_the_company_page_link_prefills_the_company(self, admin, other_workspace) -> None:
        company = CompanyFactory(workspace=admin.workspace, name="上海华为")
        foreign = CompanyFactory(workspace=other_workspace, name="别人的公司")
        client = ui_client(admin)
        page = client.get(reverse("contacts:create"), {"company": company.pk}).content.decode()
        assert 'value="上海华为"' in page
        for bad in [foreign.pk, "not-a-uuid"]:
            page = client.get(reverse("contacts:create"), {"company": bad})
            assert page.status_code == 200
            assert "别人的公司" not in page.content.decode()

    def test_tags_by_name_with_chinese_commas(self, admin) -> None:
        ui_client(admin).post(reverse("contacts:create"), {**VALID, "tags": "VIP，华东, VIP"})
        assert sorted(Contact.objects.get().tags.values_list("name", flat=True)) == ["VIP", "华东"]

    def test_too_long_tag_is_refused(self, admin) -> None:
        response = ui_client(admin).post(reverse("contacts:create"), {**VALID, "tags": "x" * 51})
        assert list(response.context["form"].errors) == ["tags"]


class TestContactEdit:
    def test_edit_keeps_the_other_values_and_audits_the_change(self, admin) -> None:
        contact = ContactFactory(workspace=admin.workspace, mobile="13800138000", owner=admin.user)
        response = ui_client(admin).post(
            reverse("contacts:edit", args=[contact.pk]),
            {
                **VALID,
                "name": "新名字",
                "mobile": "13800138000",
                "email": contact.email,
                "owner": admin.user_id,
            },
        )
        assert response.status_code == 302
        contact.refresh_from_db()
        assert (contact.name, contact.mobile) == ("新名字", "13800138000")
        [event] = audit_events_of(contact)
        assert event.changes["name"][1] == "新名字"
        assert "mobile" not in event.changes

    def test_marketing_cannot_edit_and_sees_no_sensitive_inputs(self, member) -> None:
        marketer = member(Role.MARKETING)
        contact = ContactFactory(workspace=marketer.workspace)
        before = row_state(contact)
        response = ui_client(marketer).post(
            reverse("contacts:edit", args=[contact.pk]), {**VALID, "mobile": "13900000000"}
        )
        assert response.status_code == 403
        assert row_state(contact) == before


class TestContactMasking:
    @pytest.mark.parametrize("role", [Role.VIEWER, Role.MARKETING], ids=str)
    def test_list_and_detail_mask_pii_for_roles_without_view_sensitive(self, member, role) -> None:
        reader = member(role)
        contact = ContactFactory(
            workspace=reader.workspace,
            mobile="13800138000",
            email="zhang@example.com",
            id_number="110101199001011234",
        )
        client = ui_client(reader)
        for url in [reverse("contacts:list"), reverse("contacts:detail", args=[contact.pk])]:
            body = client.get(url).content.decode()
            assert "138****8000" in body and "z***@example.com" in body
            assert "13800138000" not in body and "zhang@example.com" not in body
            assert "110101199001011234" not in body

    def test_sales_sees_full_values(self, member) -> None:
        seller = member(Role.SALES)
        ContactFactory(workspace=seller.workspace, mobile="13800138000", owner=seller.user)
        body = ui_client(seller).get(reverse("contacts:list")).content.decode()
        assert "13800138000" in body

    def test_history_masks_pii(self, admin, member) -> None:
        contact = ContactFactory(workspace=admin.workspace, mobile="13800138000")
        body = (
            ui_client(member(Role.VIEWER))
            .get(reverse("contacts:detail", args=[contact.pk]))
            .content.decode()
        )
        assert "13800138000" not in body


class TestContactSearch:
    @pytest.fixture
    def people(self, admin):
        huawei = CompanyFactory(workspace=admin.workspace, name="华为技术有限公司")
        ContactFactory(
            workspace=admin.workspace,
            name="张伟",
            mobile="13800138000",
            email="zhang.wei@example.com",
            company=huawei,
        )
        ContactFactory(
            workspace=admin.workspace, name="Li Lei", mobile="+4915112345678", email="li@example.de"
        )
        ContactFactory(
            workspace=admin.workspace, name="张三丰", mobile="13900139000", email="san@example.com"
        )

    @pytest.mark.parametrize(
        ("query", "expected"),
        [
            ("张", ["张三丰", "张伟"]),
            ("lei", ["Li Lei"]),
            ("13800138000", ["张伟"]),
            ("+86 138 0013 8000", ["张伟"]),
            ("1380013", []),
            ("ZHANG.WEI@example.com", ["张伟"]),
            ("zhang", []),
            ("华为", ["张伟"]),
            ("<script>alert(1)</script>", []),
            ("x" * 5000, []),
        ],
        ids=[
            "partial-chinese",
            "partial-latin",
            "exact-mobile",
            "mobile-other-form",
            "partial-mobile-no",
            "exact-email-any-case",
            "partial-email-no",
            "company-name",
            "html",
            "huge",
        ],
    )
    def test_search(self, admin, people, query, expected) -> None:
        response = ui_client(admin).get(reverse("contacts:list"), {"q": query, "sort": "name"})
        assert response.status_code == 200
        assert list_names(response) == expected

    @pytest.mark.parametrize("param", ["search", "q"])
    def test_the_count_of_a_long_search_loads_after_its_rows(self, admin, param) -> None:
        # given 60 matches (more than a page of 50) and one contact that does not match
        ContactFactory.create_batch(60, workspace=admin.workspace, name="张三")
        ContactFactory(workspace=admin.workspace, name="王五")
        client = ui_client(admin)
        # when the list is searched, then the page shows its rows without counting them
        response = client.get(reverse("contacts:list"), {param: "张", "lifecycle_stage": ""})
        assert response.context["page"].count is None
        assert len(response.context["object_list"]) == 50
        body = response.content.decode()
        assert "Showing 1–50 of …" in body
        count_url = re.search(r'hx-get="([^"]*count=1[^"]*)"', body).group(1).replace("&amp;", "&")
        assert f"{param}=%E5%BC%A0" in count_url
        # and the count line it loads counts the search's matches only
        line = client.get(reverse("contacts:list") + count_url).content.decode()
        assert "Showing 1–50 of 60" in line
        assert "<table" not in line

    def test_a_list_without_search_counts_at_once(self, admin) -> None:
        ContactFactory.create_batch(55, workspace=admin.workspace)
        response = ui_client(admin).get(reverse("contacts:list"))
        assert response.context["page"].count == 55
        assert "Showing 1–50 of 55" in response.content.decode()

    def test_no_match_shows_the_filtered_empty_state(self, admin, people) -> None:
        body = ui_client(admin).get(reverse("contacts:list"), {"q": "无此人"}).content.decode()
        assert "No contacts match these filters." in body

    def test_empty_workspace_invites_to_add_or_import(self, admin) -> None:
        body = ui_client(admin).get(reverse("contacts:list")).content.decode()
        assert "No contacts yet" in body and "import" in body


class TestContactFilters:
    @pytest.mark.parametrize(
        ("params", "expected"),
        [
            ({"lifecycle_stage": "customer"}, ["B"]),
            ({"source": "referral"}, ["A"]),
            ({"industry": "finance"}, ["B"]),
            ({"created_after": "2999-01-01"}, []),
            ({"created_before": "2999-01-01", "lifecycle_stage": "lead"}, ["A"]),
        ],
        ids=["stage", "source", "industry", "created-after", "created-before-and-stage"],
    )
    def test_filters(self, admin, params, expected) -> None:
        ContactFactory(
            workspace=admin.workspace, name="A", source="referral", lifecycle_stage="lead"
        )
        ContactFactory(
            workspace=admin.workspace, name="B", industry="finance", lifecycle_stage="customer"
        )
        response = ui_client(admin).get(reverse("contacts:list"), params)
        assert list_names(response) == expected

    def test_owner_and_tag(self, admin, member) -> None:
        seller = member(Role.SALES)
        vip = Tag.objects.create(workspace=admin.workspace, name="VIP")
        a = ContactFactory(workspace=admin.workspace, name="A", owner=seller.user)
        a.tags.add(vip)
        ContactFactory(workspace=admin.workspace, name="B", owner=seller.user)
        ContactFactory(workspace=admin.workspace, name="C").tags.add(vip)
        response = ui_client(admin).get(
            reverse("contacts:list"), {"owner": seller.user_id, "tag": vip.pk}
        )
        assert list_names(response) == ["A"]


class TestContactBulk:
    def test_assign_add_tag_and_delete(self, admin, member) -> None:
        seller = member(Role.SALES)
        a, b = ContactFactory(workspace=admin.workspace), ContactFactory(workspace=admin.workspace)
        client = ui_client(admin)
        client.post(
            reverse("contacts:bulk"),
            {"action": "assign_owner", "owner": seller.user_id, "pk": [a.pk, b.pk]},
        )
        client.post(reverse("contacts:bulk"), {"action": "add_tag", "tags": "展会", "pk": [a.pk]})
        client.post(reverse("contacts:bulk"), {"action": "delete", "pk": [b.pk], "confirm": "true"})
        a.refresh_from_db()
        assert a.owner_id == seller.user_id
        assert list(a.tags.values_list("name", flat=True)) == ["展会"]
        assert list(Contact.objects.values_list("pk", flat=True)) == [a.pk]
        assert [e.action for e in audit_events_of(a)] == ["update", "update"]
        assert [e.action for e in audit_events_of(b)] == ["update", "delete"]

    def test_sales_bulk_touches_only_own_records(self, member) -> None:
        seller = member(Role.SALES)
        other = member(Role.SALES)
        mine = ContactFactory(workspace=seller.workspace, owner=seller.user)
        theirs = ContactFactory(workspace=seller.workspace, owner=other.user)
        response = ui_client(seller).post(
            reverse("contacts:bulk"), {"action": "add_tag", "tags": "x", "pk": [mine.pk, theirs.pk]}
        )
        assert response.status_code == 302
        assert mine.tags.count() == 1
        assert theirs.tags.count() == 0

    def test_sales_may_not_bulk_delete(self, member) -> None:
        seller = member(Role.SALES)
        mine = ContactFactory(workspace=seller.workspace, owner=seller.user)
        response = ui_client(seller).post(
            reverse("contacts:bulk"), {"action": "delete", "pk": [mine.pk], "confirm": "true"}
        )
        assert response.status_code == 403
        assert Contact.objects.filter(pk=mine.pk).exists()


def test_list_filter_labels_follow_the_language(admin, api_client):
    # given a member who chose Chinese
    client = api_client(admin)
    client.cookies["django_language"] = "zh-hans"

    # when the contact list renders
    form = client.get(reverse("contacts:list")).context["filterset"].form

    # then every filter label is Chinese, including the classification filters
    labels = {
        name: str(form[name].label) for name in ("industry", "lifecycle_stage", "source", "gender")
    }
    assert labels == {
        "industry": "行业",
        "lifecycle_stage": "生命周期阶段",
        "source": "来源",
        "gender": "性别",
    }
