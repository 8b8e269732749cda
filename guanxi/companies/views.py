"""Company pages: list, detail (with the company's contacts), create, edit, delete, bulk actions."""

from __future__ import annotations

from typing import Any

from django.db.models import Model
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from guanxi.companies.filtersets import CompanyFilterSet
from guanxi.companies.forms import CompanyForm
from guanxi.companies.selectors import company_list
from guanxi.companies.services import company_create, company_delete, company_update
from guanxi.contacts.selectors import contact_list
from guanxi.core.paging import paginate
from guanxi.core.permissions import Action, role_can
from guanxi.core.tag_views import RecordTagsView
from guanxi.core.views import (
    BulkActionView,
    ObjectAutocompleteView,
    ObjectDeleteView,
    ObjectDetailView,
    ObjectEditView,
    ObjectListView,
    mask_sensitive,
)

COMPANY_CONTACTS_SHOWN = 10


class CompanyViews:
    resource = "companies"
    selector = company_list


class CompanyListView(CompanyViews, ObjectListView):
    filterset_class = CompanyFilterSet
    table_template = "companies/partials/_table.html"
    sortable = {
        "name": "name",
        "industry": "industry",
        "lifecycle_stage": "lifecycle_stage",
        "created": "created_at",
    }
    filter_fields = [
        "owner",
        "industry",
        "lifecycle_stage",
        "source",
        "tag",
        "created_after",
        "created_before",
    ]
    search_placeholder = _("Company name or short name")


class CompanyDetailView(CompanyViews, ObjectDetailView):
    template_name = "companies/company_detail.html"

    def detail_context(self, record: Model) -> dict[str, Any]:
        # the contacts this member may see, through the contacts' own visibility rules
        contacts = paginate(
            contact_list(membership=self.membership).filter(company=record),
            1,
            per_page=COMPANY_CONTACTS_SHOWN,
        )
        mask_sensitive(contacts.object_list, self.membership.role)
        can_add = role_can(self.membership.role, "contacts", Action.ADD)
        return {
            "contacts": contacts,
            "contacts_url": f"{reverse('contacts:list')}?company={record.pk}",
            "add_contact_url": f"{reverse('contacts:create')}?company={record.pk}"
            if can_add
            else "",
        }


class CompanyEditView(CompanyViews, ObjectEditView):
    form_class = CompanyForm
    create_service = company_create
    update_service = company_update
    template_name = "companies/company_form.html"


class CompanyDeleteView(CompanyViews, ObjectDeleteView):
    delete_service = company_delete
    template_name = "companies/company_confirm_delete.html"

    def confirm_context(self, record: Model) -> dict[str, Any]:
        return {"contact_count": record.contacts.count()}


class CompanyBulkView(CompanyViews, BulkActionView):
    pass


class CompanyAutocompleteView(CompanyViews, ObjectAutocompleteView):
    filterset_class = CompanyFilterSet


class CompanyTagsView(CompanyViews, RecordTagsView):
    pass
