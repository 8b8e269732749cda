"""Interaction forms of the web UI: the full form and the compact quick-log form of record pages."""

from __future__ import annotations

import secrets
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from guanxi.companies.forms import company_autocomplete
from guanxi.companies.selectors import company_list
from guanxi.contacts.selectors import contact_list
from guanxi.core.forms import RecordByNameField, WorkspaceModelForm
from guanxi.interactions.models import Interaction

COMPANY_OPTIONS_ID = "interaction-company-options"
DATETIME_LOCAL_FORMAT = "%Y-%m-%dT%H:%M"


def datetime_local_input() -> forms.DateTimeInput:
    """The browser's date-and-time picker; it sends ISO values whatever the language."""
    widget = forms.DateTimeInput(format=DATETIME_LOCAL_FORMAT)
    widget.input_type = "datetime-local"
    return widget


class InteractionForm(WorkspaceModelForm):
    """Create or edit an interaction; the contact comes from the page it was opened from."""

    contact = forms.ModelChoiceField(
        queryset=None,
        required=False,
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": _("This contact does not exist or is not yours to see.")},
    )
    company = RecordByNameField(
        queryset=None,
        required=False,
        label=_("Company"),
        help_text=_("Type to pick a company; filled from the contact when left empty."),
        error_messages={"invalid_choice": _("There is no company named “%(value)s” here.")},
    )

    fieldsets = [
        (_("What happened"), ["occurred_at", "channel", "direction", "status", "subject"]),
        (_("Customer"), ["contact", "company", "owner"]),
        (_("Follow-up"), ["next_follow_up", "follow_up_done"]),
        (_("Content"), ["content"]),
    ]

    class Meta:
        model = Interaction
        fields = [
            "contact",
            "company",
            "occurred_at",
            "channel",
            "direction",
            "subject",
            "content",
            "status",
            "next_follow_up",
            "follow_up_done",
            "owner",
        ]
        widgets = {
            "occurred_at": datetime_local_input(),
            "next_follow_up": forms.DateInput(),
            "content": forms.Textarea(),
        }
        help_texts = {
            "content": _(
                "Basic formatting (bold, lists, links) is kept; anything else is removed."
            ),
        }

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        membership = self.request.membership
        self.fields["contact"].queryset = contact_list(membership=membership).prefetch_related(None)
        company = self.fields["company"]
        company.queryset = company_list(membership=membership).prefetch_related(None)
        company_autocomplete(company, COMPANY_OPTIONS_ID)
        self.fields["occurred_at"].widget.attrs["class"] = "form-control"

    def chosen_contact(self) -> Any:
        """The contact the form is about (from the URL or the record), to show its name."""
        value = self["contact"].value()
        if not value:
            return None
        try:
            return self.fields["contact"].queryset.filter(pk=value).first()
        except ValidationError:
            return None


class QuickInteractionForm(WorkspaceModelForm):
    """The few fields worth typing on a contact's or company's page; the record is the customer."""

    class Meta:
        model = Interaction
        fields = ["channel", "direction", "status", "subject", "content", "next_follow_up"]
        widgets = {
            "next_follow_up": forms.DateInput(),
            "content": forms.Textarea(),
            "subject": forms.TextInput(attrs={"autocomplete": "off"}),
        }

    def __init__(self, *args: Any, record: Any, **kwargs: Any):
        # fresh ids on every render: htmx "settles" elements whose id survives a swap by
        # copying attributes across, which our CSP refuses for `style`
        kwargs.setdefault("auto_id", f"quick-{secrets.token_hex(3)}-%s")
        super().__init__(*args, **kwargs)
        # the model's checks (a customer is required) see the record while validating
        setattr(self.instance, record._meta.model_name, record)
        self.fields["content"].widget.attrs["rows"] = 2
