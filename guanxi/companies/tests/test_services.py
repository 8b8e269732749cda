"""Company services: create, update (only what changed), delete; validation with clear fields."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from guanxi.companies.models import Company
from guanxi.companies.services import company_create, company_delete, company_update
from guanxi.companies.tests.factories import CompanyFactory
from guanxi.contacts.tests.factories import ContactFactory
from guanxi.core.models import Tag

pytestmark = pytest.mark.django_db


def test_create_belongs_to_the_workspace_and_the_actor_by_default(admin):
    company = company_create(
        workspace=admin.workspace, actor=admin.user, name="华为", tags=["VIP", " VIP ", "华南"]
    )
    assert (company.workspace_id, company.owner_id) == (admin.workspace_id, admin.user_id)
    assert sorted(t.name for t in company.tags.all()) == ["VIP", "华南"]
    assert Tag.objects.filter(workspace=admin.workspace).count() == 2


def test_create_may_leave_the_record_unowned(admin):
    company = company_create(workspace=admin.workspace, actor=admin.user, name="x", owner=None)
    assert company.owner_id is None


def test_the_same_name_twice_in_a_workspace_is_refused_on_name(admin, other_workspace):
    first = company_create(workspace=admin.workspace, actor=None, name="腾讯")
    company_create(workspace=other_workspace, actor=None, name="腾讯")
    with pytest.raises(ValidationError) as error:
        company_create(workspace=admin.workspace, actor=None, name="腾讯")
    assert list(error.value.message_dict) == ["name"]
    assert str(first.pk) in error.value.message_dict["name"][0]


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": "x" * 201}, "name"),
        ({"name": "x", "website": "not a url"}, "website"),
        ({"name": "x", "credit_score": 1001}, "credit_score"),
        ({"name": "x", "industry": "piracy"}, "industry"),
    ],
    ids=["empty-name", "long-name", "bad-website", "score-too-high", "unknown-industry"],
)
def test_invalid_data_is_refused_naming_the_field(data, field, workspace):
    with pytest.raises(ValidationError) as error:
        company_create(workspace=workspace, actor=None, **data)
    assert list(error.value.message_dict) == [field]
    assert not Company.objects.exists()


def test_update_saves_only_what_changed(workspace):
    company = CompanyFactory(workspace=workspace, city="北京")
    stamp = company.updated_at
    company_update(company=company, actor=None, data={"city": "北京"})
    company.refresh_from_db()
    assert company.updated_at == stamp
    company_update(company=company, actor=None, data={"city": "上海", "tags": ["新客"]})
    company.refresh_from_db()
    assert company.city == "上海" and company.updated_at > stamp
    assert [t.name for t in company.tags.all()] == ["新客"]


def test_update_ignores_fields_that_are_not_editable(workspace, other_workspace):
    company = CompanyFactory(workspace=workspace)
    company_update(
        company=company, actor=None, data={"workspace": other_workspace, "id": "x", "name": "新"}
    )
    company.refresh_from_db()
    assert (company.workspace_id, company.name) == (workspace.pk, "新")


def test_delete_keeps_the_contacts_as_individuals(workspace):
    company = CompanyFactory(workspace=workspace)
    contact = ContactFactory(workspace=workspace, company=company)
    company_delete(company=company, actor=None)
    contact.refresh_from_db()
    assert not Company.objects.exists()
    assert contact.company_id is None and contact.is_individual
