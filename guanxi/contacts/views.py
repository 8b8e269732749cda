"""Contact pages: list, detail, create (optionally at a company), edit, delete, bulk actions."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from guanxi.companies.selectors import company_list
from guanxi.contacts.filtersets import ContactFilterSet
from guanxi.contacts.forms import ContactForm
from guanxi.contacts.selectors import contact_list
from guanxi.contacts.services import contact_create, contact_delete, contact_update
from guanxi.core.tag_views import RecordTagsView
from guanxi.core.views import (
    BulkActionView,
    ObjectDeleteView,
    ObjectDetailView,
    ObjectEditView,
    ObjectListView,
)


class ContactViews:
    resource = "contacts"
    selector = contact_list


class ContactListView(ContactViews, ObjectListView):
    filterset_class = ContactFilterSet
    table_template = "contacts/partials/_table.html"
    sortable = {"name": "name", "lifecycle_stage": "lifecycle_stage", "created": "created_at"}
    filter_fields = [
        "owner",
        "industry",
        "lifecycle_stage",
        "source",
        "tag",
        "created_after",
        "created_before",
    ]
    search_placeholder = _("Name, company, exact mobile or email")


class ContactDetailView(ContactViews, ObjectDetailView):
    template_name = "contacts/contact_detail.html"


class ContactEditView(ContactViews, ObjectEditView):
    form_class = ContactForm
    create_service = contact_create
    update_service = contact_update
    template_name = "contacts/contact_form.html"

    def get_initial(self) -> dict[str, Any]:
        """`?company=<id>` (the company page's "add a contact") fills in that company."""
        initial = super().get_initial()
        company_id = self.request.GET.get("company", "")
        if company_id:
            try:
                company = company_list(membership=self.membership).filter(pk=company_id).first()
            except ValidationError:  # not a UUID
                company = None
            if company is not None:
                initial["company"] = company.name
        return initial


class ContactDeleteView(ContactViews, ObjectDeleteView):
    delete_service = contact_delete


class ContactBulkView(ContactViews, BulkActionView):
    pass


class ContactTagsView(ContactViews, RecordTagsView):
    pass
