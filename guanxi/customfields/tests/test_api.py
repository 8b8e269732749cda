"""custom_fields on the contact and company APIs, the definitions endpoint, cf_ and tag filters."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from guanxi.companies.tests.factories import CompanyFactory
from guanxi.contacts.models import Contact
from guanxi.contacts.tests.factories import ContactFactory
from guanxi.core.services import tags_by_name
from guanxi.customfields.tests.factories import CustomFieldDefinitionFactory
from guanxi.workspaces.choices import Role

pytestmark = pytest.mark.django_db
CONTACTS = "/api/v1/contacts/"
COMPANIES = "/api/v1/companies/"


@pytest.fixture
def fields(workspace):
    """One definition of each interesting type on contacts."""
    make = CustomFieldDefinitionFactory
    return {
        "size": make(workspace=workspace, key="size", label="鞋码", type="number"),
        "budget": make(workspace=workspace, key="budget", label="预算", type="decimal"),
        "since": make(workspace=workspace, key="since", label="合作起始", type="date"),
        "vip": make(workspace=workspace, key="vip", label="VIP", type="boolean"),
        "level": make(
            workspace=workspace, key="level", label="等级", type="choice", choices=["金", "银"]
        ),
        "likes": make(
            workspace=workspace,
            key="likes",
            label="偏好",
            type="multi_choice",
            choices=["茶", "咖啡", "酒"],
        ),
        "note": make(workspace=workspace, key="note", label="备注", type="text"),
    }


def error_fields(response) -> dict:
    return response.json()["error"]["fields"]


class TestWrite:
    def test_create_stores_typed_values_and_reads_them_back(self, admin, api_client, fields):
        # given a contact payload with one value of each type
        values = {
            "size": 42,
            "budget": "1234.50",
            "since": "2024-01-31",
            "vip": True,
            "level": "金",
            "likes": ["酒", "茶"],
            "note": "<script>alert(1)</script>",
        }
        # when it is posted
        response = api_client(admin).post(
            CONTACTS, {"name": "王芳", "custom_fields": values}, format="json"
        )
        # then the values are stored in their JSON form and returned as such
        assert response.status_code == 201, response.content
        stored = Contact.objects.get().custom_fields
        assert stored == {**values, "budget": "1234.5", "likes": ["茶", "酒"]}
        assert response.json()["custom_fields"] == stored

    @pytest.mark.parametrize(
        ("key", "value"),
        [
            ("size", "42"),
            ("size", 10**30),
            ("budget", "1e30"),
            ("since", "31/01/2024"),
            ("vip", "yes"),
            ("level", "铜"),
            ("likes", "茶"),
            ("note", "x" * 5000),
            ("nope", 1),
        ],
        ids=str,
    )
    def test_a_bad_value_is_a_400_naming_the_key(self, admin, api_client, fields, key, value):
        response = api_client(admin).post(
            CONTACTS, {"name": "王芳", "custom_fields": {key: value}}, format="json"
        )
        assert response.status_code == 400
        assert list(error_fields(response)) == [f"custom_fields.{key}"]
        assert not Contact.objects.exists()

    @pytest.mark.parametrize("payload", [[1, 2], "text", 5])
    def test_a_payload_that_is_not_an_object_is_a_400(self, admin, api_client, payload):
        response = api_client(admin).post(
            CONTACTS, {"name": "王芳", "custom_fields": payload}, format="json"
        )
        assert response.status_code == 400
        assert list(error_fields(response)) == ["custom_fields"]

    def test_required_and_default_apply_on_create(self, admin, api_client, workspace):
        CustomFieldDefinitionFactory(
            workspace=workspace, key="region", label="区域", type="text", required=True
        )
        CustomFieldDefinitionFactory(
            workspace=workspace, key="tier", label="层级", type="text", default="B"
        )
        client = api_client(admin)
        missing = client.post(CONTACTS, {"name": "王芳"}, format="json")
        assert missing.status_code == 400
        assert "区域" in error_fields(missing)["custom_fields.region"][0]
        response = client.post(
            CONTACTS, {"name": "王芳", "custom_fields": {"region": "华东"}}, format="json"
        )
        assert response.json()["custom_fields"] == {"region": "华东", "tier": "B"}

    def test_patch_merges_and_null_removes(self, admin, api_client, fields, workspace):
        contact = ContactFactory(workspace=workspace, custom_fields={"size": 40, "level": "银"})
        url = reverse("api:contact-detail", args=[contact.pk])
        response = api_client(admin).patch(
            url, {"custom_fields": {"size": 41, "level": None}}, format="json"
        )
        assert response.status_code == 200, response.content
        contact.refresh_from_db()
        assert contact.custom_fields == {"size": 41}

    def test_patch_without_custom_fields_leaves_them_alone(self, admin, api_client, workspace):
        CustomFieldDefinitionFactory(workspace=workspace, key="region", required=True)
        contact = ContactFactory(workspace=workspace, custom_fields={})
        url = reverse("api:contact-detail", args=[contact.pk])
        response = api_client(admin).patch(url, {"job_title": "经理"}, format="json")
        assert response.status_code == 200

    def test_archived_values_are_hidden_kept_and_not_writable(self, admin, api_client, workspace):
        CustomFieldDefinitionFactory(workspace=workspace, key="old", active=False)
        contact = ContactFactory(workspace=workspace, custom_fields={"old": "kept"})
        url = reverse("api:contact-detail", args=[contact.pk])
        client = api_client(admin)
        assert client.get(url).json()["custom_fields"] == {}
        refused = client.patch(url, {"custom_fields": {"old": "new"}}, format="json")
        assert list(error_fields(refused)) == ["custom_fields.old"]
        contact.refresh_from_db()
        assert contact.custom_fields == {"old": "kept"}

    def test_companies_have_their_own_definitions(self, admin, api_client, workspace, fields):
        CustomFieldDefinitionFactory(
            workspace=workspace, model="companies.company", key="erp", type="text"
        )
        client = api_client(admin)
        ok = client.post(
            COMPANIES, {"name": "示例公司", "custom_fields": {"erp": "E-1"}}, format="json"
        )
        assert ok.status_code == 201 and ok.json()["custom_fields"] == {"erp": "E-1"}
        # a contact key is unknown on companies
        refused = client.post(
            COMPANIES, {"name": "另一公司", "custom_fields": {"size": 1}}, format="json"
        )
        assert list(error_fields(refused)) == ["custom_fields.size"]


class TestDefinitionsEndpoint:
    def test_lists_the_workspaces_definitions_with_types(
        self, member, api_client, fields, other_workspace
    ):
        CustomFieldDefinitionFactory(workspace=other_workspace, key="foreign")
        response = api_client(member(Role.VIEWER)).get("/api/v1/custom-fields/")
        assert response.status_code == 200
        rows = {row["key"]: row for row in response.json()}
        assert set(rows) == set(fields)
        assert rows["likes"]["type"] == "multi_choice"
        assert rows["likes"]["choices"] == ["茶", "咖啡", "酒"]

    def test_filters_by_model_and_refuses_writes(self, admin, api_client, fields, workspace):
        CustomFieldDefinitionFactory(workspace=workspace, model="companies.company", key="erp")
        client = api_client(admin)
        rows = client.get("/api/v1/custom-fields/", {"model": "companies.company"}).json()
        assert [row["key"] for row in rows] == ["erp"]
        assert client.post("/api/v1/custom-fields/", {"key": "x"}, format="json").status_code == 405


class TestFilters:
    @pytest.fixture
    def contacts(self, workspace, fields):
        make = ContactFactory
        return {
            "a": make(
                workspace=workspace,
                name="A",
                custom_fields={
                    "size": 38,
                    "budget": "99.5",
                    "since": "2023-05-01",
                    "vip": True,
                    "level": "金",
                    "likes": ["茶", "咖啡"],
                    "note": "x",
                },
            ),
            "b": make(
                workspace=workspace,
                name="B",
                custom_fields={
                    "size": 42,
                    "budget": "1000",
                    "since": "2024-05-01",
                    "vip": False,
                    "level": "银",
                    "likes": ["咖啡因"],
                },
            ),
            "c": make(workspace=workspace, name="C", custom_fields={}),
        }

    @pytest.mark.parametrize(
        ("params", "expected"),
        [
            ({"cf_size": "42"}, ["B"]),
            ({"cf_size__gte": "40"}, ["B"]),
            ({"cf_size__lte": "40"}, ["A"]),
            ({"cf_budget__gte": "100"}, ["B"]),
            ({"cf_budget__lte": "99.5"}, ["A"]),
            ({"cf_since__gte": "2024-01-01"}, ["B"]),
            ({"cf_since__lte": "2024-01-01"}, ["A"]),
            ({"cf_vip": "true"}, ["A"]),
            ({"cf_vip": "false"}, ["B"]),
            ({"cf_level": "银"}, ["B"]),
            ({"cf_likes": "咖啡"}, ["A"]),
            ({"cf_likes": "茶"}, ["A"]),
            ({"cf_note": "x"}, ["A"]),
            ({"cf_size__gte": "30", "cf_level": "金"}, ["A"]),
        ],
        ids=str,
    )
    def test_custom_field_filters(self, admin, api_client, contacts, params, expected):
        response = api_client(admin).get(CONTACTS, params)
        assert response.status_code == 200, response.content
        assert sorted(row["name"] for row in response.json()["results"]) == expected

    def test_an_invalid_filter_value_is_a_400(self, admin, api_client, contacts):
        response = api_client(admin).get(CONTACTS, {"cf_size__gte": "many"})
        assert response.status_code == 400
        assert "cf_size__gte" in error_fields(response)

    def test_tags_all_needs_every_tag_and_tag_needs_any(self, admin, api_client, workspace):
        vip, east = tags_by_name(workspace=workspace, names=["VIP", "华东"])
        both = ContactFactory(workspace=workspace, name="both")
        both.tags.set([vip, east])
        ContactFactory(workspace=workspace, name="vip").tags.set([vip])
        ContactFactory(workspace=workspace, name="none")
        client = api_client(admin)
        every = client.get(CONTACTS, {"tags_all": [vip.pk, east.pk]}).json()["results"]
        anyof = client.get(CONTACTS, {"tag": [vip.pk, east.pk]}).json()["results"]
        assert [row["name"] for row in every] == ["both"]
        assert sorted(row["name"] for row in anyof) == ["both", "vip"]

    def test_another_workspaces_tag_is_a_400(self, admin, api_client, other_workspace):
        [foreign] = tags_by_name(workspace=other_workspace, names=["x"])
        response = api_client(admin).get(CONTACTS, {"tags_all": [foreign.pk]})
        assert response.status_code == 400
        assert list(error_fields(response)) == ["tags_all"]

    def test_company_filters_work_too(self, admin, api_client, workspace):
        CustomFieldDefinitionFactory(
            workspace=workspace, model="companies.company", key="rank", type="number"
        )
        CompanyFactory(workspace=workspace, name="大", custom_fields={"rank": 1})
        CompanyFactory(workspace=workspace, name="小", custom_fields={"rank": 9})
        rows = api_client(admin).get(COMPANIES, {"cf_rank__lte": "5"}).json()["results"]
        assert [row["name"] for row in rows] == ["大"]


def test_list_query_count_does_not_grow_with_custom_fields(admin, api_client, fields, workspace):
    client = api_client(admin)
    ContactFactory(workspace=workspace, custom_fields={"size": 1})
    with CaptureQueriesContext(connection) as one:
        assert client.get(CONTACTS, {"cf_size__gte": "0"}).status_code == 200
    for n in range(20):
        ContactFactory(workspace=workspace, custom_fields={"size": n, "likes": ["茶"]})
    with CaptureQueriesContext(connection) as many:
        response = client.get(CONTACTS, {"cf_size__gte": "0"})
    assert len(response.json()["results"]) == 21
    assert len(many) == len(one)
