"""Task forms of the web UI: the full form, the quick form of record pages, comments, completion."""

from __future__ import annotations

import secrets
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from guanxi.companies.forms import company_autocomplete
from guanxi.companies.selectors import company_list
from guanxi.contacts.selectors import contact_list
from guanxi.core.forms import RecordByNameField, WorkspaceModelForm, apply_widget_classes
from guanxi.leads.selectors import lead_list
from guanxi.opportunities.selectors import opportunity_list
from guanxi.tasks.models import MAX_COMMENT_LENGTH, MAX_DESCRIPTION_LENGTH, Task

COMPANY_OPTIONS_ID = "task-company-options"
DATETIME_LOCAL_FORMAT = "%Y-%m-%dT%H:%M"


def datetime_local_input() -> forms.DateTimeInput:
    """The browser's date-and-time picker; it sends ISO values whatever the language."""
    widget = forms.DateTimeInput(format=DATETIME_LOCAL_FORMAT, attrs={"class": "form-control"})
    widget.input_type = "datetime-local"
    return widget


class TaskForm(WorkspaceModelForm):
    contact = forms.ModelChoiceField(
        queryset=None,
        required=False,
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": _("This contact does not exist or is not yours to see.")},
    )
    opportunity = forms.ModelChoiceField(
        queryset=None,
        required=False,
        widget=forms.HiddenInput,
        error_messages={
            "invalid_choice": _("This opportunity does not exist or is not yours to see.")
        },
    )
    lead = forms.ModelChoiceField(
        queryset=None,
        required=False,
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": _("This lead does not exist or is not yours to see.")},
    )
    company = RecordByNameField(
        queryset=None,
        required=False,
        label=_("Company"),
        help_text=_("Type to pick a company."),
        error_messages={"invalid_choice": _("There is no company named “%(value)s” here.")},
    )
    assign_by_rules = forms.BooleanField(
        required=False,
        label=_("Assign by rules"),
        help_text=_("Let the workspace's task assignment rules choose the assignee."),
    )

    fieldsets = [
        (_("Task"), ["title", "kind", "priority", "status"]),
        (_("When"), ["due_at", "remind_minutes_before"]),
        (_("Who"), ["owner", "assign_by_rules"]),
        (_("Linked to"), ["lead", "contact", "opportunity", "company"]),
        (_("Details"), ["description", "outcome"]),
    ]

    class Meta:
        model = Task
        fields = [
            "title",
            "kind",
            "priority",
            "status",
            "due_at",
            "remind_minutes_before",
            "owner",
            "lead",
            "contact",
            "opportunity",
            "company",
            "description",
            "outcome",
        ]
        widgets = {
            "due_at": datetime_local_input(),
            "description": forms.Textarea(),
            "outcome": forms.Textarea(),
        }
        help_texts = {
            "remind_minutes_before": _(
                "You get a notification this many minutes before it is due."
            ),
            "outcome": _("What came of it; asked for when the task is completed."),
        }

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        membership = self.request.membership
        self.fields["contact"].queryset = contact_list(membership=membership).prefetch_related(None)
        self.fields["opportunity"].queryset = opportunity_list(
            membership=membership
        ).prefetch_related(None)
        self.fields["lead"].queryset = lead_list(membership=membership).prefetch_related(None)
        company = self.fields["company"]
        company.queryset = company_list(membership=membership).prefetch_related(None)
        company_autocomplete(company, COMPANY_OPTIONS_ID)
        if not self.instance._state.adding:
            # rules route new tasks; an existing one is reassigned by hand
            del self.fields["assign_by_rules"]
        else:
            del self.fields["outcome"]
        self.fields["due_at"].widget.attrs["class"] = "form-control"

    def chosen(self, name: str) -> Any:
        """The linked contact or opportunity (from the URL or the record), to show its name."""
        value = self[name].value()
        if not value:
            return None
        try:
            return self.fields[name].queryset.filter(pk=value).first()
        except ValidationError:
            return None

    def chosen_contact(self) -> Any:
        return self.chosen("contact")

    def chosen_opportunity(self) -> Any:
        return self.chosen("opportunity")

    def chosen_lead(self) -> Any:
        return self.chosen("lead")


class QuickTaskForm(WorkspaceModelForm):
    """The few fields worth typing on a contact's or company's page; the record is the link."""

    class Meta:
        model = Task
        fields = ["title", "kind", "priority", "due_at", "owner"]
        widgets = {
            "due_at": datetime_local_input(),
            "title": forms.TextInput(attrs={"autocomplete": "off"}),
        }

    def __init__(self, *args: Any, record: Any, **kwargs: Any):
        # fresh ids on every render: htmx settles elements whose id survives a swap
        kwargs.setdefault("auto_id", f"quick-task-{secrets.token_hex(3)}-%s")
        kwargs.setdefault("initial", {"owner": kwargs["request"].user.pk})
        super().__init__(*args, **kwargs)
        setattr(self.instance, record._meta.model_name, record)
        self.fields["due_at"].widget.attrs["class"] = "form-control"


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Comment"),
        max_length=MAX_COMMENT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Mention colleagues with @ and their user name or display name."),
    )

    def __init__(self, *args: Any, **kwargs: Any):
        kwargs.setdefault("auto_id", f"comment-{secrets.token_hex(3)}-%s")
        super().__init__(*args, **kwargs)
        apply_widget_classes(self)


class CompleteForm(forms.Form):
    outcome = forms.CharField(
        label=_("Outcome"),
        required=False,
        max_length=MAX_DESCRIPTION_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        apply_widget_classes(self)
