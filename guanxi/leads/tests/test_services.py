"""Lead services: duplicate-contact flagging, conversion (lineage, atomicity, read-only after)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from guanxi.companies.models import Company
from guanxi.companies.tests.factories import CompanyFactory
from guanxi.contacts.models import Contact
from guanxi.contacts.tests.factories import ContactFactory
from guanxi.core.errors import ApplicationError
from guanxi.leads import services
from guanxi.leads.models import Lead
from guanxi.leads.services import lead_convert, lead_create, lead_delete, lead_update
from guanxi.opportunities.models import Opportunity

pytestmark = pytest.mark.django_db


def new_lead(workspace, actor, **kwargs) -> Lead:
    data = {"name": "李雷", "company_name": "上海云帆科技", "mobile": "13900001111", **kwargs}
    return lead_create(workspace=workspace, actor=actor, **data)


# --- duplicates -----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "contact_values",
    [{"mobile": "13900001111", "email": ""}, {"mobile": "", "email": "li@example.com"}],
    ids=["same-mobile", "same-email"],
)
def test_a_lead_matching_a_contact_is_flagged_and_linked_not_duplicated(
    contact_values, workspace, admin
):
    existing = ContactFactory(workspace=workspace, name="李雷（老客户）", **contact_values)
    lead = new_lead(workspace, admin.user, mobile="+86 139-0000-1111", email="LI@Example.com")
    assert lead.matched_contact_id == existing.pk
    assert Contact.objects.count() == 1
    # and converting links that contact instead of creating a second one
    lead_convert(lead=lead, actor=admin.user, create_opportunity=False)
    lead.refresh_from_db()
    assert lead.converted_contact_id == existing.pk
    assert Contact.objects.count() == 1


def test_another_workspaces_contact_is_not_matched(workspace, other_workspace, admin):
    ContactFactory(workspace=other_workspace, mobile="13900001111")
    assert new_lead(workspace, admin.user).matched_contact_id is None


def test_changing_the_mobile_refreshes_the_match(workspace, admin):
    existing = ContactFactory(workspace=workspace, mobile="13800000000")
    lead = new_lead(workspace, admin.user)
    lead_update(lead=lead, actor=admin.user, data={"mobile": "13800000000"})
    assert lead.matched_contact_id == existing.pk


# --- conversion -----------------------------------------------------------------------------------
def test_convert_creates_company_contact_and_opportunity_with_lineage_both_ways(workspace, admin):
    lead = new_lead(workspace, admin.user, industry="technology", province="上海")
    converted = lead_convert(
        lead=lead, actor=admin.user, opportunity_name="云帆 CRM 项目", amount=Decimal("120000")
    )
    company = Company.objects.get(name="上海云帆科技")
    contact = Contact.objects.get(name="李雷")
    opportunity = Opportunity.objects.get()
    assert (converted.status, converted.converted_at is not None) == ("converted", True)
    assert (converted.converted_company, converted.converted_contact) == (company, contact)
    assert converted.converted_opportunity == opportunity
    assert (contact.company, contact.mobile, company.industry) == (
        company,
        "13900001111",
        "technology",
    )
    assert (opportunity.name, opportunity.amount, opportunity.source) == (
        "云帆 CRM 项目",
        Decimal("120000.00"),
        "lead",
    )
    assert (opportunity.company, opportunity.primary_contact) == (company, contact)
    # the other way: from each record back to the lead
    assert list(company.converted_leads.all()) == [lead]
    assert list(contact.converted_leads.all()) == [lead]
    assert list(opportunity.converted_leads.all()) == [lead]


def test_convert_links_an_existing_company_of_the_same_name(workspace, admin):
    company = CompanyFactory(workspace=workspace, name="上海云帆科技")
    lead_convert(lead=new_lead(workspace, admin.user), actor=admin.user, create_opportunity=False)
    assert Company.objects.count() == 1
    assert Contact.objects.get().company == company


def test_a_failure_mid_conversion_leaves_nothing(workspace, admin, monkeypatch):
    # given the opportunity step fails after the company and contact were created
    lead = new_lead(workspace, admin.user)

    def broken(**kwargs):
        raise ValidationError({"stage": "gate refused"})

    monkeypatch.setattr("guanxi.opportunities.services.opportunity_create", broken)
    # when
    with pytest.raises(ValidationError):
        lead_convert(lead=lead, actor=admin.user)
    # then nothing of the conversion exists and the lead is unchanged
    assert (Company.objects.count(), Contact.objects.count(), Opportunity.objects.count()) == (
        0,
        0,
        0,
    )
    lead.refresh_from_db()
    assert (lead.status, lead.converted_company_id, lead.converted_at) == ("new", None, None)


def test_a_converted_lead_is_read_only(workspace, admin):
    lead = lead_convert(
        lead=new_lead(workspace, admin.user), actor=admin.user, create_opportunity=False
    )
    for attempt in (
        lambda: lead_update(lead=lead, actor=admin.user, data={"name": "改名"}),
        lambda: lead_delete(lead=lead, actor=admin.user),
        lambda: lead_convert(lead=lead, actor=admin.user),
        lambda: services.lead_assign(lead=lead, actor=admin.user, owner=admin.user),
    ):
        with pytest.raises(ApplicationError) as caught:
            attempt()
        assert caught.value.code == "read_only"
    lead.refresh_from_db()
    assert lead.name == "李雷"


def test_status_converted_cannot_be_typed(workspace, admin):
    with pytest.raises(ValidationError):
        new_lead(workspace, admin.user, status="converted")
    lead = new_lead(workspace, admin.user, mobile="")
    with pytest.raises(ValidationError):
        lead_update(lead=lead, actor=admin.user, data={"status": "converted"})


def test_convert_refuses_another_workspaces_records(workspace, other_workspace, admin):
    foreign = ContactFactory(workspace=other_workspace)
    lead = new_lead(workspace, admin.user)
    with pytest.raises(ValidationError):
        lead_convert(lead=lead, actor=admin.user, contact=foreign)
    assert Lead.objects.get().status == "new"


def test_consent_time_is_recorded(workspace, admin):
    lead = new_lead(workspace, admin.user, consent=True)
    assert lead.consent_at is not None
    lead_update(lead=lead, actor=admin.user, data={"consent": False})
    lead.refresh_from_db()
    assert (lead.consent, lead.consent_at) == (False, None)
