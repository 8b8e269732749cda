"""Custom fields in the web UI: record forms, the detail panel, list columns and filters, bulk
untag, and the settings pages for definitions and tags."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from guanxi.audit.models import AuditEvent
from guanxi.companies.tests.factories import CompanyFactory
from guanxi.contacts.models import Contact
from guanxi.contacts.tests.factories import ContactFactory
from guanxi.core.models import Tag
from guanxi.core.services import tags_by_name
from guanxi.core.testing_views import ui_client
from guanxi.customfields.models import CustomFieldDefinition, ListColumnPreference
from guanxi.customfields.tests.factories import CustomFieldDefinitionFactory
from guanxi.workspaces.choices import Role

pytestmark = pytest.mark.django_db
VALID = {"name": "王小明", "lifecycle_stage": "lead", "customer_type": "prospect"}


@pytest.fixture
def size(workspace) -> CustomFieldDefinition:
    return CustomFieldDefinitionFactory(
        workspace=workspace, key="size", label="鞋码", type="number", help_text="欧码"
    )


@pytest.fixture
def level(workspace) -> CustomFieldDefinition:
    return CustomFieldDefinitionFactory(
        workspace=workspace,
        key="level",
        label="等级",
        type="choice",
        choices=["金", "银"],
        default="银",
    )


class TestRecordForms:
    def test_the_form_has_one_field_per_active_definition_with_default(
        self, admin, size, level, workspace
    ):
        CustomFieldDefinitionFactory(workspace=workspace, key="old", active=False)
        form = ui_client(admin).get(reverse("contacts:create")).context["form"]
        assert "cf_size" in form.fields and "cf_level" in form.fields
        assert "cf_old" not in form.fields and "custom_fields" not in form.fields
        assert form.fields["cf_size"].help_text == "欧码"
        assert form["cf_level"].value() == "银"

    def test_saving_stores_typed_values_through_the_service(self, admin, size, level):
        response = ui_client(admin).post(
            reverse("contacts:create"), {**VALID, "cf_size": "42", "cf_level": "金"}
        )
        assert response.status_code == 302
        contact = Contact.objects.get()
        assert contact.custom_fields == {"size": 42, "level": "金"}
        [event] = AuditEvent.objects.filter(object_id=str(contact.pk), source="ui")
        assert event.changes["custom_fields"][1] == {"size": 42, "level": "金"}

    @pytest.mark.parametrize("value", ["abc", "1" * 40, "1.5"], ids=str)
    def test_a_wrong_value_is_shown_on_its_field(self, admin, size, value):
        response = ui_client(admin).post(reverse("contacts:create"), {**VALID, "cf_size": value})
        assert response.status_code == 200
        assert list(response.context["form"].errors) == ["cf_size"]
        assert not Contact.objects.exists()

    def test_a_required_field_must_be_filled(self, admin, workspace):
        CustomFieldDefinitionFactory(workspace=workspace, key="region", required=True)
        response = ui_client(admin).post(reverse("contacts:create"), VALID)
        assert "cf_region" in response.context["form"].errors

    def test_editing_keeps_archived_values_and_empty_removes(self, admin, size, level, workspace):
        CustomFieldDefinitionFactory(workspace=workspace, key="old", active=False)
        contact = ContactFactory(
            workspace=workspace, custom_fields={"size": 40, "level": "金", "old": "kept"}
        )
        client = ui_client(admin)
        form = client.get(reverse("contacts:edit", args=[contact.pk])).context["form"]
        assert form["cf_size"].value() == 40
        response = client.post(
            reverse("contacts:edit", args=[contact.pk]),
            {**VALID, "cf_size": "", "cf_level": "金"},
        )
        assert response.status_code == 302
        contact.refresh_from_db()
        assert contact.custom_fields == {"level": "金", "old": "kept"}

    def test_company_forms_get_company_definitions(self, admin, workspace):
        CustomFieldDefinitionFactory(
            workspace=workspace, model="companies.company", key="erp", type="text"
        )
        client = ui_client(admin)
        response = client.post(
            reverse("companies:create"), {**VALID, "name": "示例", "cf_erp": "E-1"}
        )
        assert response.status_code == 302
        company = CompanyFactory._meta.model.objects.get()
        assert company.custom_fields == {"erp": "E-1"}


class TestDetailPanel:
    def test_lists_values_escaped_and_hides_archived(self, admin, size, workspace):
        note = CustomFieldDefinitionFactory(workspace=workspace, key="note", label="备注")
        CustomFieldDefinitionFactory(workspace=workspace, key="old", label="旧字段", active=False)
        contact = ContactFactory(
            workspace=workspace,
            custom_fields={"size": 42, "note": "<script>alert(1)</script>", "old": "x"},
        )
        html = ui_client(admin).get(reverse("contacts:detail", args=[contact.pk])).content.decode()
        assert "鞋码" in html and "42" in html and note.label in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
        assert "<script>alert(1)" not in html
        assert "旧字段" not in html

    def test_renaming_the_label_keeps_the_value(self, admin, size, workspace):
        contact = ContactFactory(workspace=workspace, custom_fields={"size": 42})
        size.label = "尺码"
        size.save()
        html = ui_client(admin).get(reverse("contacts:detail", args=[contact.pk])).content.decode()
        assert "尺码" in html and "鞋码" not in html
        contact.refresh_from_db()
        assert contact.custom_fields == {"size": 42}

    def test_no_panel_without_definitions(self, admin, workspace):
        contact = ContactFactory(workspace=workspace)
        html = ui_client(admin).get(reverse("contacts:detail", args=[contact.pk])).content.decode()
        assert "custom-fields-panel" not in html


class TestListPage:
    def test_custom_field_filters_and_tags_all_are_on_the_page(self, admin, level, workspace):
        tags_by_name(workspace=workspace, names=["VIP"])
        Tag.objects.create(workspace=workspace, name="上海", group="地区")
        response = ui_client(admin).get(reverse("contacts:list"))
        names = [field.name for field in response.context["filter_fields"]]
        assert "tags_all" in names and "cf_level" in names
        html = response.content.decode()
        assert '<optgroup label="地区">' in html

    def test_filtering_by_a_choice(self, admin, level, workspace):
        ContactFactory(workspace=workspace, name="金卡", custom_fields={"level": "金"})
        ContactFactory(workspace=workspace, name="银卡", custom_fields={"level": "银"})
        response = ui_client(admin).get(reverse("contacts:list"), {"cf_level": "金"})
        assert [c.name for c in response.context["object_list"]] == ["金卡"]

    def test_chosen_columns_persist_per_user_and_show_custom_values(
        self, admin, member, size, workspace
    ):
        ContactFactory(workspace=workspace, custom_fields={"size": 42})
        client = ui_client(admin)
        response = client.post(
            reverse("customfields:columns"),
            {
                "list_name": "contacts.contact",
                "column": ["cf:size", "completeness", "bogus", "mobile"],
                "next": reverse("contacts:list"),
            },
        )
        assert response.status_code == 302 and response["Location"] == reverse("contacts:list")
        [preference] = ListColumnPreference.objects.all()
        assert preference.columns == ["cf:size", "completeness", "mobile"]
        page = client.get(reverse("contacts:list"))
        columns = page.context["columns"]
        assert columns.chosen == {"cf:size", "completeness", "mobile"}
        assert columns.custom_columns == [size]
        html = page.content.decode()
        assert "<th>鞋码</th>" in html and ">42<" in html and "<th>Email</th>" not in html
        # another user still has the defaults
        other = ui_client(member(Role.SALES)).get(reverse("contacts:list")).context["columns"]
        assert "email" in other.chosen and "cf:size" not in other.chosen
        # reset goes back to the defaults
        client.post(
            reverse("customfields:columns"), {"list_name": "contacts.contact", "reset": "1"}
        )
        assert not ListColumnPreference.objects.exists()

    def test_an_unknown_list_or_foreign_next_is_refused(self, admin):
        client = ui_client(admin)
        assert client.post(reverse("customfields:columns"), {"list_name": "x"}).status_code == 404
        response = client.post(
            reverse("customfields:columns"),
            {"list_name": "companies.company", "next": "https://evil.example/"},
        )
        assert response["Location"] == "/"

    def test_list_queries_do_not_grow_with_custom_columns(self, admin, size, level, workspace):
        client = ui_client(admin)
        client.post(
            reverse("customfields:columns"),
            {"list_name": "contacts.contact", "column": ["cf:size", "cf:level", "tags"]},
        )
        ContactFactory(workspace=workspace, custom_fields={"size": 1})
        with CaptureQueriesContext(connection) as one:
            client.get(reverse("contacts:list"))
        for n in range(30):
            ContactFactory(workspace=workspace, custom_fields={"size": n, "level": "金"})
        with CaptureQueriesContext(connection) as many:
            response = client.get(reverse("contacts:list"))
        assert len(response.context["object_list"]) == 31
        assert len(many) == len(one)


class TestBulkUntag:
    def test_removes_the_tags_from_the_selected_records_only(self, admin, workspace):
        vip, east = tags_by_name(workspace=workspace, names=["VIP", "华东"])
        first, second, untouched = (ContactFactory(workspace=workspace) for _ in range(3))
        for contact in (first, second, untouched):
            contact.tags.set([vip, east])
        response = ui_client(admin).post(
            reverse("contacts:bulk"),
            {"action": "remove_tag", "pk": [first.pk, second.pk], "tags": "VIP, 不存在"},
        )
        assert response.status_code == 302
        assert [t.name for t in first.tags.all()] == ["华东"]
        assert [t.name for t in second.tags.all()] == ["华东"]
        assert untouched.tags.count() == 2
        # a name nobody uses is not created
        assert not Tag.objects.filter(name="不存在").exists()
        assert AuditEvent.objects.filter(object_id=str(first.pk), action="update").exists()

    def test_needs_a_tag_name(self, admin, workspace):
        contact = ContactFactory(workspace=workspace)
        response = ui_client(admin).post(
            reverse("contacts:bulk"), {"action": "remove_tag", "pk": [contact.pk], "tags": ""}
        )
        assert response.status_code == 302


class TestDefinitionAdmin:
    def test_admin_creates_a_choice_field_with_a_key_from_the_label(self, admin, workspace):
        client = ui_client(admin)
        url = f"{reverse('customfields:create')}?model=companies.company"
        response = client.post(
            url,
            {
                "label": "Contract level",
                "type": "choice",
                "choices_text": "A\nB\n\nC",
                "default_text": "B",
                "help_text": "<b>hint</b>",
            },
        )
        assert response.status_code == 302, response.context["form"].errors
        definition = CustomFieldDefinition.objects.get()
        assert (definition.key, definition.model) == ("contract_level", "companies.company")
        assert definition.choices == ["A", "B", "C"] and definition.default == "B"
        listing = client.get(f"{reverse('customfields:list')}?model=companies.company")
        assert "&lt;b&gt;hint&lt;/b&gt;" in listing.content.decode()

    def test_chinese_labels_get_a_generated_key_and_duplicates_are_refused(self, admin, size):
        client = ui_client(admin)
        url = reverse("customfields:create")
        assert client.post(url, {"label": "客户来源", "type": "text"}).status_code == 302
        assert CustomFieldDefinition.objects.filter(key="field_1").exists()
        response = client.post(url, {"label": "x", "key": "size", "type": "text"})
        assert "key" in response.context["form"].errors

    @pytest.mark.parametrize(
        ("data", "field"),
        [
            ({"label": "x", "type": "choice", "choices_text": ""}, "choices_text"),
            ({"label": "x", "type": "number", "default_text": "many"}, "default_text"),
            ({"label": "x", "key": "Bad Key", "type": "text"}, "key"),
            ({"label": "x", "key": "a__b", "type": "text"}, "key"),
            ({"label": "x", "type": "nonsense"}, "type"),
        ],
        ids=str,
    )
    def test_invalid_definitions_are_refused(self, admin, data, field):
        response = ui_client(admin).post(reverse("customfields:create"), data)
        assert response.status_code == 200
        assert field in response.context["form"].errors
        assert not CustomFieldDefinition.objects.exists()

    def test_at_most_100_per_record_type(self, admin, workspace):
        CustomFieldDefinition.objects.bulk_create(
            CustomFieldDefinition(
                workspace=workspace, model="contacts.contact", key=f"k{n}", label="x", type="text"
            )
            for n in range(100)
        )
        response = ui_client(admin).post(
            reverse("customfields:create"), {"label": "one more", "type": "text"}
        )
        assert response.status_code == 200
        assert "at most 100" in response.content.decode()

    def test_edit_keeps_key_and_type(self, admin, size):
        response = ui_client(admin).post(
            reverse("customfields:edit", args=[size.pk]),
            {"label": "尺码", "key": "other", "type": "text", "required": "on"},
        )
        assert response.status_code == 302
        size.refresh_from_db()
        assert (size.label, size.key, size.type, size.required) == ("尺码", "size", "number", True)

    def test_archive_and_restore(self, admin, size, workspace):
        contact = ContactFactory(workspace=workspace, custom_fields={"size": 42})
        client = ui_client(admin)
        client.post(reverse("customfields:set_active", args=[size.pk]), {"active": "0"})
        size.refresh_from_db()
        assert not size.active
        form = client.get(reverse("contacts:edit", args=[contact.pk])).context["form"]
        assert "cf_size" not in form.fields
        client.post(reverse("customfields:set_active", args=[size.pk]), {"active": "1"})
        html = client.get(reverse("contacts:detail", args=[contact.pk])).content.decode()
        assert "鞋码" in html and "42" in html

    def test_reorder(self, admin, size, level):
        client = ui_client(admin)
        client.post(reverse("customfields:move", args=[level.pk]), {"direction": "up"})
        keys = list(CustomFieldDefinition.objects.order_by("order").values_list("key", flat=True))
        assert keys == ["level", "size"]

    def test_delete_in_use_needs_the_clear_confirmation(self, admin, size, workspace):
        contact = ContactFactory(workspace=workspace, custom_fields={"size": 42, "x": 1})
        client = ui_client(admin)
        page = client.get(reverse("customfields:delete", args=[size.pk]))
        assert page.context["usage"] == 1
        refused = client.post(reverse("customfields:delete", args=[size.pk]), {})
        assert refused.status_code == 200
        assert CustomFieldDefinition.objects.filter(pk=size.pk).exists()
        client.post(reverse("customfields:delete", args=[size.pk]), {"clear_values": "on"})
        assert not CustomFieldDefinition.objects.filter(pk=size.pk).exists()
        contact.refresh_from_db()
        assert contact.custom_fields == {"x": 1}
        assert AuditEvent.objects.filter(object_id=str(contact.pk), action="update").exists()

    def test_unused_definition_deletes_directly(self, admin, size):
        ui_client(admin).post(reverse("customfields:delete", args=[size.pk]), {})
        assert not CustomFieldDefinition.objects.exists()

    @pytest.mark.parametrize("role", [Role.MANAGER, Role.SALES, Role.VIEWER])
    def test_only_admins_change_definitions(self, member, role, size):
        client = ui_client(member(role))
        assert client.get(reverse("customfields:list")).status_code == 200
        assert client.get(reverse("customfields:create")).status_code == 403
        assert client.post(reverse("customfields:delete", args=[size.pk]), {}).status_code == 403
        response = client.post(reverse("customfields:set_active", args=[size.pk]), {"active": "0"})
        assert response.status_code == 403
        size.refresh_from_db()
        assert size.active


class TestTagAdmin:
    def test_lists_tags_with_usage_counts(self, admin, workspace):
        vip, east = tags_by_name(workspace=workspace, names=["VIP", "华东"])
        ContactFactory(workspace=workspace).tags.set([vip])
        CompanyFactory(workspace=workspace).tags.set([vip, east])
        tags = ui_client(admin).get(reverse("customfields:tags")).context["tags"]
        assert {tag.name: tag.usage for tag in tags} == {"VIP": 2, "华东": 1}

    def test_rename_regroup_recolour(self, admin, workspace):
        [tag] = tags_by_name(workspace=workspace, names=["vip"])
        response = ui_client(admin).post(
            reverse("customfields:tag_edit", args=[tag.pk]),
            {"name": "VIP", "group": "等级", "colour": "red"},
        )
        assert response.status_code == 302
        tag.refresh_from_db()
        assert (tag.name, tag.group, tag.colour) == ("VIP", "等级", "red")

    def test_rename_to_an_existing_name_is_refused(self, admin, workspace):
        _vip, east = tags_by_name(workspace=workspace, names=["VIP", "华东"])
        response = ui_client(admin).post(
            reverse("customfields:tag_edit", args=[east.pk]), {"name": "VIP", "colour": "blue"}
        )
        assert response.status_code == 200
        assert response.context["form"].errors

    def test_merge_moves_records_and_deletes_the_source(self, admin, workspace):
        vip, big = tags_by_name(workspace=workspace, names=["VIP", "大客户"])
        both = ContactFactory(workspace=workspace)
        both.tags.set([vip, big])
        only_big = CompanyFactory(workspace=workspace)
        only_big.tags.set([big])
        response = ui_client(admin).post(
            reverse("customfields:tag_merge", args=[big.pk]), {"target": vip.pk}
        )
        assert response.status_code == 302
        assert not Tag.objects.filter(pk=big.pk).exists()
        assert [t.name for t in both.tags.all()] == ["VIP"]
        assert [t.name for t in only_big.tags.all()] == ["VIP"]

    def test_merge_into_another_workspaces_tag_is_refused(self, admin, workspace, other_workspace):
        [tag] = tags_by_name(workspace=workspace, names=["VIP"])
        [foreign] = tags_by_name(workspace=other_workspace, names=["VIP"])
        response = ui_client(admin).post(
            reverse("customfields:tag_merge", args=[tag.pk]), {"target": foreign.pk}
        )
        assert response.status_code == 200
        assert Tag.objects.filter(pk=tag.pk).exists()

    def test_delete_asks_first_with_the_usage(self, admin, workspace):
        [tag] = tags_by_name(workspace=workspace, names=["VIP"])
        ContactFactory(workspace=workspace).tags.set([tag])
        client = ui_client(admin)
        page = client.get(reverse("customfields:tag_delete", args=[tag.pk]))
        assert page.context["usage"] == 1 and Tag.objects.filter(pk=tag.pk).exists()
        client.post(reverse("customfields:tag_delete", args=[tag.pk]))
        assert not Tag.objects.filter(pk=tag.pk).exists()

    @pytest.mark.parametrize("role", [Role.SALES, Role.VIEWER])
    def test_other_roles_may_not_change_tags(self, member, role, workspace):
        [tag] = tags_by_name(workspace=workspace, names=["VIP"])
        client = ui_client(member(role))
        response = client.post(reverse("customfields:tag_delete", args=[tag.pk]))
        assert response.status_code == 403
        assert Tag.objects.filter(pk=tag.pk).exists()
