"""Lead forms of the web UI: the record, conversion, the scoring model and the web form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from guanxi.companies.choices import CompanySize, Industry
from guanxi.contacts.models import Contact
from guanxi.core.forms import TagNamesField, WorkspaceModelForm, apply_widget_classes
from guanxi.leads.choices import CriterionKind
from guanxi.leads.models import Lead, ScoringModel, WebForm
from guanxi.leads.scoring import criterion_label
from guanxi.leads.services import LEAD_EDITABLE_FIELDS

MAX_AMOUNT = 10**12
# behaviour counters: empty means none yet
COUNTERS = ("visits", "email_opens", "email_clicks", "form_submissions")


class LeadForm(WorkspaceModelForm):
    tags = TagNamesField()

    fieldsets = [
        (_("Person"), ["name", "job_title", "mobile", "email", "company_name"]),
        (
            _("Qualification"),
            [
                "status",
                "priority",
                "owner",
                "industry",
                "company_size",
                "product_interest",
                "province",
                "city",
                "tags",
            ],
        ),
        (
            _("Origin"),
            [
                "source",
                "channel",
                "utm_source",
                "utm_medium",
                "utm_campaign",
                "utm_term",
                "utm_content",
                "consent",
            ],
        ),
        (
            _("Behaviour"),
            ["visits", "email_opens", "email_clicks", "form_submissions", "expressed_interest"],
        ),
        (_("Notes"), ["description"]),
    ]

    class Meta:
        model = Lead
        fields = [name for name in LEAD_EDITABLE_FIELDS if name != "custom_fields"]
        widgets = {
            "mobile": forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
            "email": forms.TextInput(attrs={"inputmode": "email", "autocomplete": "off"}),
        }

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        # converting is its own action
        self.fields["status"].choices = [
            choice for choice in self.fields["status"].choices if choice[0] != "converted"
        ]
        for name in COUNTERS:
            self.fields[name].required = False

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for name in COUNTERS:
            if data.get(name) is None and name in self.fields:
                data[name] = 0
        return data


class LeadConvertForm(forms.Form):
    company_name = forms.CharField(
        required=False,
        max_length=200,
        label=_("Company"),
        help_text=_("The company with this name is linked, or created; empty for an individual."),
    )
    contact = forms.ModelChoiceField(
        queryset=Contact.objects.none(),
        required=False,
        label=_("Contact"),
        empty_label=_("Create a new contact from the lead"),
    )
    create_opportunity = forms.BooleanField(
        required=False, initial=True, label=_("Create an opportunity")
    )
    opportunity_name = forms.CharField(required=False, max_length=200, label=_("Opportunity name"))
    amount = forms.DecimalField(
        required=False,
        min_value=0,
        max_value=MAX_AMOUNT,
        max_digits=14,
        decimal_places=2,
        label=_("Amount"),
    )
    expected_close = forms.DateField(
        required=False, label=_("Expected close date"), widget=forms.DateInput()
    )

    def __init__(self, *args: Any, lead: Lead, **kwargs: Any):
        kwargs.setdefault(
            "initial",
            {"company_name": lead.company_name, "contact": lead.matched_contact_id},
        )
        super().__init__(*args, **kwargs)
        # only the contact the lead matched is offered: a select of every contact cannot scale
        if lead.matched_contact_id:
            self.fields["contact"].queryset = Contact.objects.filter(
                workspace_id=lead.workspace_id, pk=lead.matched_contact_id
            )
        else:
            del self.fields["contact"]
        apply_widget_classes(self)


class ScoringModelForm(forms.Form):
    """Weights and thresholds per criterion; the point mappings are edited as "value = points"."""

    mql_threshold = forms.IntegerField(min_value=0, max_value=100, label=_("MQL threshold"))
    sql_threshold = forms.IntegerField(min_value=0, max_value=100, label=_("SQL threshold"))

    def __init__(self, *args: Any, scoring_model: ScoringModel, **kwargs: Any):
        initial = {
            "mql_threshold": scoring_model.mql_threshold,
            "sql_threshold": scoring_model.sql_threshold,
        }
        self.criteria = scoring_model.criteria
        for criterion in self.criteria:
            initial[f"weight_{criterion['key']}"] = criterion["weight"]
            initial[f"points_{criterion['key']}"] = points_text(criterion)
        super().__init__(*args, initial=initial, **kwargs)
        for criterion in self.criteria:
            label = criterion_label(criterion)
            self.fields[f"weight_{criterion['key']}"] = forms.IntegerField(
                min_value=0,
                max_value=100,
                label=_("%(criterion)s: weight (%%)") % {"criterion": label},
            )
            if criterion["kind"] != CriterionKind.SCALE:
                self.fields[f"points_{criterion['key']}"] = forms.CharField(
                    widget=forms.Textarea,
                    max_length=2000,
                    label=_("%(criterion)s: points") % {"criterion": label},
                    help_text=_("One “value = points” per line; points 1–5; * = any other value.")
                    if criterion["kind"] == CriterionKind.VALUE
                    else _("One “at least = points” per line; points 1–5."),
                )
        apply_widget_classes(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        criteria = []
        for criterion in self.criteria:
            key = criterion["key"]
            updated = dict(criterion, weight=data.get(f"weight_{key}", criterion["weight"]))
            if f"points_{key}" in self.fields and f"points_{key}" in data:
                try:
                    updated["points"] = parse_points(criterion["kind"], data[f"points_{key}"])
                except ValueError:
                    self.add_error(f"points_{key}", _("Write one “value = points” per line."))
            criteria.append(updated)
        data["criteria"] = criteria
        return data


def points_text(criterion: dict[str, Any]) -> str:
    points = criterion["points"]
    if criterion["kind"] == CriterionKind.COUNT:
        return "\n".join(f"{minimum} = {value}" for minimum, value in points)
    if criterion["kind"] == CriterionKind.VALUE:
        return "\n".join(f"{key} = {value}" for key, value in points.items())
    return ""


def parse_points(kind: str, text: str) -> Any:
    pairs = []
    for line in text.splitlines():
        if not line.strip():
            continue
        key, separator, value = line.partition("=")
        if not separator:
            raise ValueError(line)
        pairs.append((key.strip(), int(value.strip())))
    if kind == CriterionKind.COUNT:
        return [[int(key), value] for key, value in pairs]
    return dict(pairs)


class WebFormSettingsForm(forms.ModelForm):
    class Meta:
        model = WebForm
        fields = ["active", "title", "product_interest", "consent_text"]
        widgets = {"consent_text": forms.Textarea}

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        apply_widget_classes(self)


# the visitor's own words for expressed interest 1–5 (LEAD-2)
INTEREST_CHOICES = [
    (5, _("Within a month")),
    (4, _("Within three months")),
    (3, _("This year")),
    (2, _("Just researching")),
    (1, _("Not planning to buy")),
]


class PublicLeadForm(forms.Form):
    """What a visitor fills in on /f/<token>/; `website` is the honeypot (hidden by CSS)."""

    name = forms.CharField(max_length=100, label=_("Your name"))
    company_name = forms.CharField(max_length=200, required=False, label=_("Company"))
    job_title = forms.CharField(max_length=100, required=False, label=_("Job title"))
    mobile = forms.CharField(max_length=32, required=False, label=_("Mobile"))
    email = forms.CharField(max_length=254, required=False, label=_("Email"))
    industry = forms.ChoiceField(
        choices=[("", "—"), *Industry.choices], required=False, label=_("Industry")
    )
    company_size = forms.ChoiceField(
        choices=[("", "—"), *CompanySize.choices], required=False, label=_("Company size")
    )
    province = forms.CharField(max_length=50, required=False, label=_("Province"))
    city = forms.CharField(max_length=50, required=False, label=_("City"))
    expressed_interest = forms.TypedChoiceField(
        choices=[("", "—"), *INTEREST_CHOICES],
        coerce=int,
        empty_value=None,
        required=False,
        label=_("When do you plan to buy?"),
    )
    description = forms.CharField(
        max_length=2000, required=False, widget=forms.Textarea, label=_("How can we help?")
    )
    consent = forms.BooleanField(required=True)
    website = forms.CharField(required=False, label=_("Leave this empty"))

    def __init__(self, *args: Any, consent_text: str, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["consent"].label = consent_text
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})
        apply_widget_classes(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not data.get("mobile") and not data.get("email"):
            self.add_error("mobile", _("Give a mobile number or an email address."))
        return data
