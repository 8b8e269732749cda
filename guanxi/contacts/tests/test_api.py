"""The contacts API: the shared API test cases plus masking, duplicates, hostile input and visibility."""

from __future__ import annotations

import itertools

import pytest
from django.urls import reverse

from guanxi.companies.tests.factories import CompanyFactory
from guanxi.contacts.models import Contact
from guanxi.contacts.tests.factories import ContactFactory
from guanxi.core.models import Tag
from guanxi.core.services import tags_by_name
from guanxi.core.testing import APIViewTestCases, row_state
from guanxi.workspaces.choices import Role
from guanxi.workspaces.tests.factories import MembershipFactory, TeamFactory

pytestmark = pytest.mark.django_db
serial = itertools.count()
LIST_URL = "/api/v1/contacts/"
TEN_MB = "字" * (10 * 1024 * 1024 // 3)


def detail(contact) -> str:
    return reverse("api:contact-detail", args=[contact.pk])


class TestContactAPI(APIViewTestCases):
    basename = "contact"
    model = Contact

    def make(self, workspace, **kwargs):
        return ContactFactory(workspace=workspace, **kwargs)

    def make_rich(self, workspace, *, owner):
        company = CompanyFactory(workspace=workspace)
        contact = ContactFactory(workspace=workspace, owner=owner, company=company)
        contact.tags.set(tags_by_name(workspace=workspace, names=["VIP", "华东"]))
        return contact

    def create_payload(self):
        n = next(serial)
        return {
            "name": f"李娜{n}",
            "mobile": f"137{n:08d}",
            "email": f"li.na{n}@example.cn",
            "tags": ["VIP"],
        }

    def update_payload(self):
        return {"job_title": "采购经理", "city": "深圳"}


# --- masking ----------------------------------------------------------------------------------
MASKED = {"mobile": "138****8000", "email": "w***@example.com", "id_number": "11************1234"}
PLAIN = {"mobile": "13800138000", "email": "wang@example.com", "id_number": "110101199001011234"}


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (Role.VIEWER, MASKED),
        (Role.MARKETING, MASKED),
        (Role.ADMIN, PLAIN),
        (Role.SALES, PLAIN),
        (Role.SERVICE, PLAIN),
    ],
    ids=["viewer", "marketing", "admin", "sales", "service"],
)
def test_personal_fields_are_masked_for_roles_without_view_sensitive(
    role, expected, member, workspace, api_client
):
    viewer = member(role)
    contact = ContactFactory(workspace=workspace, owner=viewer.user, **PLAIN)
    client = api_client(viewer)
    listed = client.get(LIST_URL).json()["results"][0]
    shown = client.get(detail(contact)).json()
    assert {name: listed[name] for name in expected} == expected
    assert {name: shown[name] for name in expected} == expected


# --- validation -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("field", "value"),
    [("mobile", "+86 138-0013-8000"), ("email", "WANG@Example.COM")],
    ids=["mobile-other-form", "email-other-case"],
)
def test_a_duplicate_mobile_or_email_is_a_400_naming_the_existing_contact(
    field, value, admin, api_client
):
    existing = ContactFactory(workspace=admin.workspace, name="王芳", **PLAIN)
    response = api_client(admin).post(LIST_URL, {"name": "新人", field: value}, format="json")
    assert response.status_code == 400
    fields = response.json()["error"]["fields"]
    assert list(fields) == [field]
    assert "王芳" in fields[field][0] and str(existing.pk) in fields[field][0]
    assert Contact.objects.count() == 1


@pytest.mark.parametrize(
    "mobile", ["12345", "1380013800", "+1 555", "phone", "23800138000"], ids=str
)
def test_an_invalid_mobile_is_a_400_on_mobile(mobile, admin, api_client):
    response = api_client(admin).post(LIST_URL, {"name": "张三", "mobile": mobile}, format="json")
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["mobile"]
    assert not Contact.objects.exists()


HOSTILE_BODIES = {
    "name-list": ({"name": ["a"]}, "name"),
    "name-object": ({"name": {"a": 1}}, "name"),
    "name-null": ({"name": None}, "name"),
    "name-long": ({"name": "名" * 101}, "name"),
    "description-long": ({"name": "a", "description": "x" * 5001}, "description"),
    "mobile-long": ({"name": "a", "mobile": "1" * 1000}, "mobile"),
    "mobile-list": ({"name": "a", "mobile": ["13800138000"]}, "mobile"),
    "credit-score-huge": ({"name": "a", "credit_score": 10**30}, "credit_score"),
    "credit-score-negative": ({"name": "a", "credit_score": -1}, "credit_score"),
    "credit-score-text": ({"name": "a", "credit_score": "many"}, "credit_score"),
    "birthday-number": ({"name": "a", "birthday": 20000101}, "birthday"),
    "birthday-nonsense": ({"name": "a", "birthday": "2000-13-45"}, "birthday"),
    "gender-unknown": ({"name": "a", "gender": "robot"}, "gender"),
    "tags-string": ({"name": "a", "tags": "VIP"}, "tags"),
    "tags-numbers": ({"name": "a", "tags": [1, 2]}, "tags"),
    "tags-too-long": ({"name": "a", "tags": ["x" * 51]}, "tags"),
    "tags-nul": ({"name": "a", "tags": ["a\x00b"]}, "tags"),
    "name-nul": ({"name": "a\x00b"}, "name"),
    "company-number": ({"name": "a", "company": 12}, "company"),
    "company-not-uuid": ({"name": "a", "company": "../../etc"}, "company"),
    "owner-object": ({"name": "a", "owner": {"id": 1}}, "owner"),
}


@pytest.mark.parametrize(("body", "field"), list(HOSTILE_BODIES.values()), ids=list(HOSTILE_BODIES))
def test_hostile_input_is_a_400_on_its_field_and_stores_nothing(body, field, admin, api_client):
    response = api_client(admin).post(LIST_URL, body, format="json")
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == [field]
    assert not Contact.objects.exists()


@pytest.mark.parametrize(
    "body",
    [{"name": TEN_MB}, {"name": "a", "description": TEN_MB}, {"name": "a", "mobile": TEN_MB}],
    ids=["name", "description", "mobile"],
)
def test_a_10_mb_body_is_a_400_in_the_api_error_format(body, admin, api_client):
    response = api_client(admin).post(LIST_URL, body, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "too_large"
    assert not Contact.objects.exists()


@pytest.mark.parametrize(
    "body", ["[1, 2]", '"text"', "{not json", "null"], ids=["list", "string", "broken", "null"]
)
def test_a_body_that_is_not_an_object_is_a_400(body, admin, api_client):
    response = api_client(admin).post(LIST_URL, body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["error"]["status"] == 400


def test_html_and_script_are_stored_as_text_and_returned_as_json_data(admin, api_client):
    hostile = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    client = api_client(admin)
    response = client.post(
        LIST_URL, {"name": hostile, "description": hostile, "tags": ["<b>"]}, format="json"
    )
    assert response.status_code == 201
    contact = Contact.objects.get()
    assert (contact.name, contact.description) == (hostile, hostile)
    shown = client.get(detail(contact))
    assert shown["Content-Type"] == "application/json"
    assert shown["X-Content-Type-Options"] == "nosniff"
    assert (shown.json()["name"], shown.json()["tags"]) == (hostile, ["<b>"])


@pytest.mark.parametrize("field", ["company", "owner"], ids=str)
def test_another_workspaces_company_or_owner_is_a_400(field, admin, other_workspace, api_client):
    foreign = {
        "company": lambda: CompanyFactory(workspace=other_workspace).pk,
        "owner": lambda: MembershipFactory(workspace=other_workspace).user_id,
    }[field]()
    contact = ContactFactory(workspace=admin.workspace)
    before = row_state(contact)
    client = api_client(admin)
    created = client.post(LIST_URL, {"name": "a", field: str(foreign)}, format="json")
    patched = client.patch(detail(contact), {field: str(foreign)}, format="json")
    assert (created.status_code, patched.status_code) == (400, 400)
    assert list(created.json()["error"]["fields"]) == [field]
    assert list(patched.json()["error"]["fields"]) == [field]
    assert Contact.objects.count() == 1
    assert row_state(contact) == before


def test_search_and_q_find_the_same_contacts(admin, api_client):
    ContactFactory(workspace=admin.workspace, name="赵六", mobile="13912345678")
    ContactFactory(workspace=admin.workspace, name="钱七")
    client = api_client(admin)
    for term in ("+86 139 1234 5678", "赵"):
        by_search = client.get(LIST_URL, {"search": term}).json()["results"]
        assert [row["name"] for row in by_search] == ["赵六"]
        assert client.get(LIST_URL, {"q": term}).json()["results"] == by_search


def test_filters_by_company_and_individual(admin, api_client):
    company = CompanyFactory(workspace=admin.workspace)
    at_company = ContactFactory(workspace=admin.workspace, company=company)
    alone = ContactFactory(workspace=admin.workspace)
    client = api_client(admin)
    by_company = client.get(LIST_URL, {"company": str(company.pk)}).json()["results"]
    individuals = client.get(LIST_URL, {"individual": "true"}).json()["results"]
    assert [row["id"] for row in by_company] == [str(at_company.pk)]
    assert [row["id"] for row in individuals] == [str(alone.pk)]


# --- visibility: own / team / all --------------------------------------------------------------
@pytest.fixture
def teams(workspace, member):
    """Two teams: sales A1 and A2 and manager AM in team A, sales B1 in team B."""
    team_a, team_b = TeamFactory(workspace=workspace), TeamFactory(workspace=workspace)
    people = {
        "A1": member(Role.SALES, team=team_a),
        "A2": member(Role.SALES, team=team_a),
        "AM": member(Role.MANAGER, team=team_a),
        "B1": member(Role.SALES, team=team_b),
    }
    contacts = {
        key: ContactFactory(workspace=workspace, owner=m.user, name=key)
        for key, m in people.items()
    }
    contacts["unowned"] = ContactFactory(workspace=workspace, owner=None, name="unowned")
    return people, contacts


@pytest.mark.parametrize(
    ("who", "sees"),
    [
        ("A1", ["A1", "A2", "AM", "unowned"]),
        ("AM", ["A1", "A2", "AM", "unowned"]),
        ("B1", ["B1", "unowned"]),
    ],
    ids=["sales-own-team-unowned", "manager-team-only", "other-team"],
)
def test_sales_and_managers_see_their_team_and_unowned_records(who, sees, teams, api_client):
    people, _contacts = teams
    rows = api_client(people[who]).get(LIST_URL).json()["results"]
    assert sorted(row["name"] for row in rows) == sees


def test_sales_cannot_change_or_see_outside_its_scope(teams, api_client):
    people, contacts = teams
    client = api_client(people["A1"])
    teammate, other_team = contacts["A2"], contacts["B1"]
    before = row_state(teammate)
    # a teammate's record is readable but not changeable
    assert client.get(detail(teammate)).status_code == 200
    assert client.patch(detail(teammate), {"city": "x"}, format="json").status_code == 403
    assert row_state(teammate) == before
    # another team's record does not exist for them
    assert client.get(detail(other_team)).status_code == 404
    # their own record is changeable
    mine = contacts["A1"]
    assert client.patch(detail(mine), {"city": "成都"}, format="json").status_code == 200


def test_a_manager_changes_the_teams_records_but_not_other_teams(teams, api_client):
    people, contacts = teams
    client = api_client(people["AM"])
    assert client.patch(detail(contacts["A1"]), {"city": "成都"}, format="json").status_code == 200
    assert client.patch(detail(contacts["B1"]), {"city": "成都"}, format="json").status_code == 404


def test_handing_a_record_to_another_team_still_answers_with_the_record(teams, api_client):
    people, contacts = teams
    response = api_client(people["A1"]).patch(
        detail(contacts["A1"]), {"owner": str(people["B1"].user_id)}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["owner"]["id"] == str(people["B1"].user_id)


def test_filter_by_several_tags_lists_each_contact_once(admin, api_client):
    # given a contact with two tags and one with neither
    both = ContactFactory(workspace=admin.workspace)
    both.tags.set(tags_by_name(workspace=admin.workspace, names=["VIP", "重点客户"]))
    ContactFactory(workspace=admin.workspace)
    vip, key = Tag.objects.filter(workspace=admin.workspace).order_by("name")

    # when filtering by both tags
    response = api_client(admin).get("/api/v1/contacts/", {"tag": [str(vip.pk), str(key.pk)]})

    # then the tagged contact appears once
    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [str(both.pk)]
