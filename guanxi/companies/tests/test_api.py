"""The companies API: the shared API test cases plus company-specific rules."""

from __future__ import annotations

import itertools

import pytest
from django.urls import reverse

from guanxi.companies.models import Company
from guanxi.companies.tests.factories import CompanyFactory
from guanxi.core.services import tags_by_name
from guanxi.core.testing import APIViewTestCases

pytestmark = pytest.mark.django_db
names = itertools.count()


class TestCompanyAPI(APIViewTestCases):
    basename = "company"
    model = Company

    def make(self, workspace, **kwargs):
        return CompanyFactory(workspace=workspace, **kwargs)

    def make_rich(self, workspace, *, owner):
        company = CompanyFactory(workspace=workspace, owner=owner)
        company.tags.set(tags_by_name(workspace=workspace, names=["VIP", "华东"]))
        return company

    def create_payload(self):
        return {"name": f"北京新公司 {next(names)}", "industry": "finance", "tags": ["VIP"]}

    def update_payload(self):
        return {"short_name": "新名", "city": "杭州"}


def test_search_and_q_find_the_same_companies(admin, api_client):
    CompanyFactory(workspace=admin.workspace, name="阿里巴巴", short_name="阿里")
    CompanyFactory(workspace=admin.workspace, name="腾讯")
    client = api_client(admin)
    url = reverse("api:company-list")
    by_search = client.get(url, {"search": "阿里"}).json()["results"]
    by_q = client.get(url, {"q": "阿里"}).json()["results"]
    assert [row["name"] for row in by_search] == ["阿里巴巴"]
    assert by_q == by_search


@pytest.mark.parametrize(
    ("ordering", "expected"),
    [("name", ["A", "B", "C"]), ("-name", ["C", "B", "A"])],
    ids=["ascending", "descending"],
)
def test_ordering_by_name(admin, api_client, ordering, expected):
    for name in ("B", "C", "A"):
        CompanyFactory(workspace=admin.workspace, name=name)
    response = api_client(admin).get(reverse("api:company-list"), {"ordering": ordering})
    assert [row["name"] for row in response.json()["results"]] == expected


def test_cursor_pagination_walks_every_row_once(admin, api_client):
    created = {str(CompanyFactory(workspace=admin.workspace).pk) for _ in range(7)}
    client = api_client(admin)
    seen: list[str] = []
    url = reverse("api:company-list") + "?page_size=3"
    while url:
        page = client.get(url).json()
        seen += [row["id"] for row in page["results"]]
        url = page["next"]
    assert sorted(seen) == sorted(created)


def test_an_unknown_filter_value_is_a_400_naming_the_field(admin, api_client):
    response = api_client(admin).get(reverse("api:company-list"), {"industry": "piracy"})
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["industry"]


def test_duplicate_name_is_a_400_on_name(admin, api_client):
    CompanyFactory(workspace=admin.workspace, name="华为")
    response = api_client(admin).post(reverse("api:company-list"), {"name": "华为"}, format="json")
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["name"]
