"""The contact page's own panels: colleagues at the same company, within the viewer's visibility."""

from __future__ import annotations

import pytest

from guanxi.companies.tests.factories import CompanyFactory
from guanxi.contacts.panels import COLLEAGUES_SHOWN
from guanxi.contacts.tests.factories import ContactFactory
from guanxi.core.testing_views import ui_client
from guanxi.workspaces.choices import Role

pytestmark = pytest.mark.django_db


def test_colleagues_are_listed_without_the_contact_itself(workspace, admin):
    # given
    company = CompanyFactory(workspace=workspace, name="华为")
    contact = ContactFactory(workspace=workspace, company=company, name="张伟")
    ContactFactory(workspace=workspace, company=company, name="李娜", job_title="采购经理")
    ContactFactory(workspace=workspace, name="王芳")  # another company

    # when
    response = ui_client(admin).get(contact.get_absolute_url())

    # then
    panels = {p.name: p.data for p in response.context["panels"]["side"]}
    assert [c.name for c in panels["colleagues"]["colleagues"]] == ["李娜"]
    assert "采购经理" in response.content.decode()


def test_colleagues_respect_the_viewers_visibility(workspace, member):
    # given: a sales rep sees own contacts only
    rep = member(Role.SALES)
    company = CompanyFactory(workspace=workspace)
    contact = ContactFactory(workspace=workspace, company=company, owner=rep.user)
    ContactFactory(
        workspace=workspace, company=company, owner=member(Role.SALES).user, name="别人的"
    )

    # when
    response = ui_client(rep).get(contact.get_absolute_url())

    # then
    panels = {p.name: p.data for p in response.context["panels"]["side"]}
    assert panels["colleagues"]["colleagues"] == []
    assert "别人的" not in response.content.decode()


def test_a_b2c_contact_has_no_colleagues_panel_and_many_colleagues_are_capped(workspace, admin):
    # given
    individual = ContactFactory(workspace=workspace, company=None)
    company = CompanyFactory(workspace=workspace)
    contact = ContactFactory(workspace=workspace, company=company)
    for _ in range(COLLEAGUES_SHOWN + 2):
        ContactFactory(workspace=workspace, company=company)
    client = ui_client(admin)

    # when
    individual_panels = client.get(individual.get_absolute_url()).context["panels"]["side"]
    crowded = client.get(contact.get_absolute_url()).context["panels"]["side"]

    # then
    assert "colleagues" not in {p.name for p in individual_panels}
    data = {p.name: p.data for p in crowded}["colleagues"]
    assert len(data["colleagues"]) == COLLEAGUES_SHOWN
    assert data["more"] is True
