"""The contact form of the web UI: the service's editable fields, scoped to the workspace."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from guanxi.companies.forms import company_autocomplete
from guanxi.companies.models import ADDRESS_FIELDS
from guanxi.contacts.filtersets import workspace_companies
from guanxi.contacts.models import Contact
from guanxi.contacts.services import CONTACT_EDITABLE_FIELDS
from guanxi.core.forms import RecordByNameField, TagNamesField, WorkspaceModelForm

COMPANY_OPTIONS_ID = "company-options"


class ContactForm(WorkspaceModelForm):
    company = RecordByNameField(
        queryset=None,
        required=False,
        label=_("Company"),
        help_text=_("Type to pick one of your companies; leave empty for an individual customer."),
        error_messages={"invalid_choice": _("There is no company named “%(value)s” here.")},
    )
    tags = TagNamesField()

    fieldsets = [
        (_("Person"), ["name", "gender", "birthday", "company", "job_title"]),
        (_("Contact details"), ["mobile", "email", "id_number"]),
        (
            _("Relationship"),
            [
                "lifecycle_stage",
                "customer_type",
                "industry",
                "source",
                "credit_level",
                "credit_score",
                "owner",
                "tags",
            ],
        ),
        (_("Address"), list(ADDRESS_FIELDS)),
        (_("Notes"), ["description"]),
    ]

    class Meta:
        model = Contact
        # custom_fields gets one form field per definition (WorkspaceModelForm)
        fields = [name for name in CONTACT_EDITABLE_FIELDS if name != "custom_fields"]
        widgets = {
            "mobile": forms.TextInput(
                attrs={"inputmode": "tel", "autocomplete": "off", "placeholder": "13800138000"}
            ),
            "email": forms.TextInput(
                attrs={
                    "inputmode": "email",
                    "autocomplete": "off",
                    "placeholder": "name@example.com",
                }
            ),
            "id_number": forms.TextInput(attrs={"autocomplete": "off"}),
            "birthday": forms.DateInput(),
        }

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        company = self.fields["company"]
        company.queryset = workspace_companies(self.request)
        # suggestions while typing, from the companies the member may see
        company_autocomplete(company, COMPANY_OPTIONS_ID)
