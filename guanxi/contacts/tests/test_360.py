"""The 360° contact and company pages (CUS-4): every module's panel is there, and the page costs
the same number of queries for a customer with a little or a lot of history."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from guanxi.companies.tests.factories import CompanyFactory
from guanxi.contacts.tests.factories import ContactFactory
from guanxi.core.services import tags_by_name
from guanxi.core.testing_views import ui_client
from guanxi.customfields.tests.factories import CustomFieldDefinitionFactory
from guanxi.interactions.tests.factories import InteractionFactory
from guanxi.leads.tests.factories import LeadFactory
from guanxi.members.services import member_enrol, transaction_record
from guanxi.opportunities.tests.factories import OpportunityFactory
from guanxi.tasks.tests.factories import TaskFactory

pytestmark = pytest.mark.django_db

CONTACT_PANELS = {
    "main": {"custom_fields", "timeline"},
    "side": {"membership", "tags", "data_quality", "colleagues"},
}


def customer_with_history(workspace, admin, *, size: int):
    """A contact at a company with `size` of everything: tags, colleagues, purchases,
    interactions, deals, tasks and leads."""
    actor = admin.user
    company = CompanyFactory(workspace=workspace, owner=actor)
    contact = ContactFactory(
        workspace=workspace, company=company, owner=actor, custom_fields={"shoe": 42}
    )
    contact.tags.set(tags_by_name(workspace=workspace, names=[f"标签{n}" for n in range(size)]))
    member = member_enrol(workspace=workspace, contact=contact, actor=actor)
    for n in range(size):
        ContactFactory(workspace=workspace, company=company, owner=actor)
        transaction_record(
            workspace=workspace,
            member=member,
            actor=actor,
            kind="purchase",
            amount=Decimal("600.00"),
            occurred_on=datetime.date.today() - datetime.timedelta(days=n),
        )
        InteractionFactory(workspace=workspace, contact=contact, company=company, owner=actor)
        OpportunityFactory(
            workspace=workspace, actor=actor, company=company, primary_contact=contact
        )
        TaskFactory(workspace=workspace, contact=contact, owner=actor)
        LeadFactory(workspace=workspace, converted_contact=contact, owner=actor)
    return contact, company


def page_queries(client, url: str) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response


def test_the_contact_page_shows_every_module_in_a_constant_number_of_queries(workspace, admin):
    # given: one customer with a little history, one with ten times as much
    CustomFieldDefinitionFactory(workspace=workspace, key="shoe", label="鞋码", type="number")
    small, _ = customer_with_history(workspace, admin, size=1)
    large, _ = customer_with_history(workspace, admin, size=10)
    client = ui_client(admin)
    client.get(small.get_absolute_url())  # warm the per-process caches (content types …)

    # when
    small_count, _ = page_queries(client, small.get_absolute_url())
    large_count, response = page_queries(client, large.get_absolute_url())

    # then
    assert large_count == small_count
    panels = {
        column: {p.name for p in response.context["panels"][column]} for column in ("main", "side")
    }
    for column, names in CONTACT_PANELS.items():
        assert names <= panels[column], (column, names - panels[column])
    body = response.content.decode()
    assert "鞋码" in body
    assert large.member.member_number in body


def test_the_company_page_costs_the_same_for_a_small_and_a_large_company(workspace, admin):
    # given: both have more contacts than the page lists (so both pages count them)
    _, small = customer_with_history(workspace, admin, size=11)
    _, large = customer_with_history(workspace, admin, size=25)
    client = ui_client(admin)
    client.get(small.get_absolute_url())

    # when
    small_count, _ = page_queries(client, small.get_absolute_url())
    large_count, response = page_queries(client, large.get_absolute_url())

    # then
    assert large_count == small_count
    assert {"timeline", "tags"} <= {
        p.name for column in ("main", "side") for p in response.context["panels"][column]
    }
