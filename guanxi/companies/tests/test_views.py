"""Company pages: the shared view checks, plus search, filters, sorting, bulk actions and masking."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from guanxi.audit.models import AuditEvent
from guanxi.companies.models import Company
from guanxi.companies.tests.factories import CompanyFactory
from guanxi.contacts.tests.factories import ContactFactory
from guanxi.core.models import Tag
from guanxi.core.testing_views import ViewTestCases, ui_client
from guanxi.workspaces.choices import Role
from guanxi.workspaces.tests.factories import TeamFactory

pytestmark = pytest.mark.django_db


class TestCompanyViews(ViewTestCases):
    namespace = "companies"
    model = Company

    def make(self, workspace, **kwargs: Any) -> Company:
        return CompanyFactory(workspace=workspace, **kwargs)

    def make_rich(self, workspace, *, owner) -> Company:
        company = self.make(workspace, owner=owner)
        company.tags.set([Tag.objects.get_or_create(workspace=workspace, name="VIP")[0]])
        ContactFactory(workspace=workspace, company=company)
        return company

    def create_data(self) -> dict[str, Any]:
        return {
            "name": "北京新华制造有限公司",
            "industry": "manufacturing",
            "lifecycle_stage": "lead",
            "customer_type": "prospect",
            "tags": "VIP, 北京",
            "country": "中国",
        }

    def update_data(self, obj) -> dict[str, Any]:
        return {
            "name": f"{obj.name} 集团",
            "industry": "retail",
            "lifecycle_stage": "customer",
            "customer_type": "customer",
            "owner": obj.owner_id or "",
            "tags": "VIP",
        }


def list_names(response) -> list[str]:
    return [company.name for company in response.context["object_list"]]


class TestCompanyList:
    def test_empty_workspace_shows_the_empty_state(self, admin) -> None:
        response = ui_client(admin).get(reverse("companies:list"))
        assert response.status_code == 200
        assert "No companies yet" in response.content.decode()

    @pytest.mark.parametrize(
        ("query", "expected"),
        [
            ("华为", ["华为技术有限公司"]),
            ("acme", ["Acme Trading Ltd"]),
            ("阿克", ["Acme Trading Ltd"]),
            ("nothing-like-it", []),
        ],
        ids=["partial-chinese", "latin-any-case", "short-name", "no-match"],
    )
    def test_search_matches_name_and_short_name(self, admin, query, expected) -> None:
        CompanyFactory(workspace=admin.workspace, name="华为技术有限公司")
        CompanyFactory(workspace=admin.workspace, name="Acme Trading Ltd", short_name="阿克米")
        response = ui_client(admin).get(reverse("companies:list"), {"q": query})
        assert list_names(response) == expected

    def test_filters_combine(self, admin, member) -> None:
        seller = member(Role.SALES)
        CompanyFactory(workspace=admin.workspace, name="A", industry="retail", owner=seller.user)
        CompanyFactory(workspace=admin.workspace, name="B", industry="retail")
        CompanyFactory(workspace=admin.workspace, name="C", industry="finance", owner=seller.user)
        response = ui_client(admin).get(
            reverse("companies:list"), {"industry": "retail", "owner": seller.user_id}
        )
        assert list_names(response) == ["A"]

    def test_an_owner_of_another_workspace_is_rejected_not_applied(
        self, admin, member, other_workspace
    ) -> None:
        stranger = member(Role.SALES, in_workspace=other_workspace)
        CompanyFactory(workspace=admin.workspace, name="A")
        response = ui_client(admin).get(reverse("companies:list"), {"owner": stranger.user_id})
        assert response.status_code == 200
        assert "owner" in response.context["filterset"].form.errors

    def test_tag_filter(self, admin) -> None:
        tagged = CompanyFactory(workspace=admin.workspace, name="Tagged")
        CompanyFactory(workspace=admin.workspace, name="Plain")
        vip = Tag.objects.create(workspace=admin.workspace, name="VIP")
        tagged.tags.add(vip)
        response = ui_client(admin).get(reverse("companies:list"), {"tag": vip.pk})
        assert list_names(response) == ["Tagged"]

    @pytest.mark.parametrize(
        ("sort", "expected"),
        [
            ("name", ["Alpha", "Beta", "Gamma"]),
            ("-name", ["Gamma", "Beta", "Alpha"]),
            ("", ["Beta", "Gamma", "Alpha"]),
            ("workspace", ["Beta", "Gamma", "Alpha"]),
            ("-description;drop", ["Beta", "Gamma", "Alpha"]),
        ],
        ids=["name", "name-desc", "default-newest-first", "not-sortable", "hostile"],
    )
    def test_sorting_by_whitelisted_columns_only(self, admin, sort, expected) -> None:
        for name in ["Alpha", "Gamma", "Beta"]:
            CompanyFactory(workspace=admin.workspace, name=name)
        response = ui_client(admin).get(reverse("companies:list"), {"sort": sort})
        assert response.status_code == 200
        assert list_names(response) == expected

    def test_pages_of_50_with_a_capped_count(self, admin, monkeypatch) -> None:
        import guanxi.core.paging as paging

        monkeypatch.setitem(paging.paginate.__kwdefaults__, "cap", 60)
        CompanyFactory.create_batch(70, workspace=admin.workspace)
        client = ui_client(admin)
        first = client.get(reverse("companies:list"))
        assert len(first.context["object_list"]) == 50
        assert (first.context["page"].count, first.context["page"].count_is_capped) == (60, True)
        assert "of 60+" in first.content.decode()
        second = client.get(reverse("companies:list"), {"page": 2})
        assert len(second.context["object_list"]) == 20
        assert client.get(reverse("companies:list"), {"page": "x"}).context["page"].number == 1

    def test_sales_sees_own_team_only(self, member) -> None:
        team = TeamFactory()
        seller = member(Role.SALES, team=team)
        team.workspace = seller.workspace
        team.save()
        other = member(Role.SALES)
        CompanyFactory(workspace=seller.workspace, name="Mine", owner=seller.user)
        CompanyFactory(workspace=seller.workspace, name="Someone else's", owner=other.user)
        response = ui_client(seller).get(reverse("companies:list"))
        assert list_names(response) == ["Mine"]


class TestCompanyForms:
    def test_duplicate_name_is_refused_and_nothing_is_written(self, admin) -> None:
        CompanyFactory(workspace=admin.workspace, name="华为技术有限公司")
        response = ui_client(admin).post(
            reverse("companies:create"),
            {"name": "华为技术有限公司", "lifecycle_stage": "lead", "customer_type": "prospect"},
        )
        assert response.status_code == 200
        assert response.context["form"].errors
        assert Company.objects.count() == 1
        assert not AuditEvent.objects.filter(source="ui").exists()

    def test_the_same_name_in_another_workspace_is_fine(self, admin, other_workspace) -> None:
        CompanyFactory(workspace=other_workspace, name="华为技术有限公司")
        response = ui_client(admin).post(
            reverse("companies:create"),
            {"name": "华为技术有限公司", "lifecycle_stage": "lead", "customer_type": "prospect"},
        )
        assert response.status_code == 302

    def test_another_workspaces_owner_is_rejected(self, admin, member, other_workspace) -> None:
        stranger = member(Role.SALES, in_workspace=other_workspace)
        response = ui_client(admin).post(
            reverse("companies:create"),
            {
                "name": "X",
                "lifecycle_stage": "lead",
                "customer_type": "prospect",
                "owner": stranger.user_id,
            },
        )
        assert response.status_code == 200
        assert "owner" in response.context["form"].errors
        assert not Company.objects.exists()

    def test_script_in_a_name_is_shown_as_text(self, admin) -> None:
        company = CompanyFactory(workspace=admin.workspace, name="<script>alert(1)</script>")
        body = ui_client(admin).get(reverse("companies:detail", args=[company.pk])).content.decode()
        assert "<script>alert(1)</script>" not in body
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body

    def test_sales_may_not_edit_a_team_mates_company(self, member) -> None:
        from guanxi.core.testing import row_state

        team = TeamFactory()
        seller = member(Role.SALES, team=team, in_workspace=team.workspace)
        mate = member(Role.SALES, team=team, in_workspace=team.workspace)
        company = CompanyFactory(workspace=team.workspace, owner=mate.user)
        before = row_state(company)
        client = ui_client(seller)
        assert client.get(reverse("companies:detail", args=[company.pk])).status_code == 200
        response = client.post(reverse("companies:edit", args=[company.pk]), {"name": "Hijacked"})
        assert response.status_code == 403
        assert row_state(company) == before


class TestCompanyDetail:
    def test_shows_its_visible_contacts_masked_for_a_viewer_and_an_add_link(
        self, admin, member
    ) -> None:
        company = CompanyFactory(workspace=admin.workspace)
        ContactFactory(
            workspace=admin.workspace,
            company=company,
            mobile="13800138000",
            email="zhang@example.com",
        )
        viewer = member(Role.VIEWER)
        body = (
            ui_client(viewer).get(reverse("companies:detail", args=[company.pk])).content.decode()
        )
        assert "138****8000" in body and "z***@example.com" in body
        assert "13800138000" not in body and "zhang@example.com" not in body
        admin_page = ui_client(admin).get(reverse("companies:detail", args=[company.pk]))
        assert f"{reverse('contacts:create')}?company={company.pk}" in admin_page.content.decode()
        assert "13800138000" in admin_page.content.decode()

    def test_delete_page_warns_about_its_contacts(self, admin) -> None:
        company = CompanyFactory(workspace=admin.workspace)
        contact = ContactFactory(workspace=admin.workspace, company=company)
        client = ui_client(admin)
        assert (
            "1 contact works at this company"
            in client.get(reverse("companies:delete", args=[company.pk])).content.decode()
        )
        client.post(reverse("companies:delete", args=[company.pk]))
        contact.refresh_from_db()
        assert contact.company_id is None


class TestCompanyBulk:
    def test_assign_owner_changes_only_selected_with_audit_rows(self, admin, member) -> None:
        seller = member(Role.SALES)
        a, b, c = (CompanyFactory(workspace=admin.workspace) for _ in range(3))
        response = ui_client(admin).post(
            reverse("companies:bulk"),
            {
                "action": "assign_owner",
                "owner": seller.user_id,
                "pk": [a.pk, b.pk],
                "next": reverse("companies:list") + "?industry=technology",
            },
        )
        assert response.status_code == 302
        assert response["Location"] == reverse("companies:list") + "?industry=technology"
        owners = dict(Company.objects.values_list("pk", "owner_id"))
        assert (owners[a.pk], owners[b.pk], owners[c.pk]) == (seller.user_id, seller.user_id, None)
        assert AuditEvent.objects.filter(action="update").count() == 2

    def test_add_tag(self, admin) -> None:
        a, b = (CompanyFactory(workspace=admin.workspace) for _ in range(2))
        ui_client(admin).post(
            reverse("companies:bulk"), {"action": "add_tag", "tags": "VIP，华东", "pk": [a.pk]}
        )
        assert sorted(a.tags.values_list("name", flat=True)) == ["VIP", "华东"]
        assert not b.tags.exists()

    def test_delete_confirms_first(self, admin) -> None:
        a, b = (CompanyFactory(workspace=admin.workspace) for _ in range(2))
        client = ui_client(admin)
        page = client.post(reverse("companies:bulk"), {"action": "delete", "pk": [a.pk]})
        assert page.status_code == 200
        assert [r.pk for r in page.context["records"]] == [a.pk]
        assert Company.objects.count() == 2
        client.post(
            reverse("companies:bulk"), {"action": "delete", "pk": [a.pk], "confirm": "true"}
        )
        assert list(Company.objects.values_list("pk", flat=True)) == [b.pk]
        assert AuditEvent.objects.filter(action="delete", object_id=str(a.pk)).count() == 1

    @pytest.mark.parametrize("action", ["assign_owner", "add_tag", "delete"], ids=str)
    def test_viewer_is_refused(self, member, action) -> None:
        viewer = member(Role.VIEWER)
        company = CompanyFactory(workspace=viewer.workspace)
        response = ui_client(viewer).post(
            reverse("companies:bulk"),
            {
                "action": action,
                "pk": [company.pk],
                "tags": "x",
                "owner": viewer.user_id,
                "confirm": "true",
            },
        )
        assert response.status_code == 403
        assert Company.objects.filter(pk=company.pk, owner=None).exists()
        assert not company.tags.exists()

    @pytest.mark.parametrize(
        "pks", [["not-a-uuid"], [], ["' OR 1=1 --"]], ids=["garbage", "none", "sql"]
    )
    def test_bad_selection_changes_nothing(self, admin, pks) -> None:
        company = CompanyFactory(workspace=admin.workspace)
        response = ui_client(admin).post(
            reverse("companies:bulk"), {"action": "delete", "pk": pks, "confirm": "true"}
        )
        assert response.status_code == 302
        assert Company.objects.filter(pk=company.pk).exists()

    def test_open_redirect_is_refused(self, admin) -> None:
        company = CompanyFactory(workspace=admin.workspace)
        response = ui_client(admin).post(
            reverse("companies:bulk"),
            {"action": "add_tag", "tags": "x", "pk": [company.pk], "next": "https://evil.example/"},
        )
        assert response["Location"] == reverse("companies:list")


class TestCompanyAutocomplete:
    def test_suggests_visible_matching_names(self, admin, other_workspace) -> None:
        CompanyFactory(workspace=admin.workspace, name="上海华为")
        CompanyFactory(workspace=other_workspace, name="上海华为分公司")
        response = ui_client(admin).get(reverse("companies:autocomplete"), {"company": "华为"})
        assert response.content.decode().strip() == '<option value="上海华为"></option>'
