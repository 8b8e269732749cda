"""Deal and pipeline forms of the web UI."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from guanxi.companies.forms import company_autocomplete
from guanxi.companies.selectors import company_list
from guanxi.contacts.selectors import contact_list
from guanxi.core.forms import RecordByNameField, WorkspaceModelForm, apply_widget_classes
from guanxi.opportunities.choices import ContactRole
from guanxi.opportunities.gates import GATEABLE_FIELDS
from guanxi.opportunities.models import Opportunity, Pipeline, Stage

COMPANY_OPTIONS_ID = "opportunity-company-options"
# a company's people offered as primary contact / decision chain members
CONTACT_CHOICES_LIMIT = 200
MAX_CHECKLIST_ITEMS = 20


class OpportunityForm(WorkspaceModelForm):
    company = RecordByNameField(
        queryset=None,
        required=False,
        label=_("Company"),
        help_text=_("Type to pick a company."),
        error_messages={"invalid_choice": _("There is no company named “%(value)s” here.")},
    )
    primary_contact = forms.ModelChoiceField(
        queryset=None, required=False, label=_("Primary contact")
    )
    stage = forms.ModelChoiceField(queryset=None, required=False, label=_("Stage"))
    probability = forms.IntegerField(
        required=False,
        min_value=0,
        max_value=100,
        label=_("Probability (%)"),
        help_text=_("Leave empty to use the stage's default."),
    )

    fieldsets = [
        (_("Deal"), ["name", "amount", "currency", "expected_close", "probability"]),
        (_("Customer"), ["company", "primary_contact", "source"]),
        (_("Pipeline"), ["pipeline", "stage", "owner"]),
        (_("Notes"), ["description"]),
    ]

    class Meta:
        model = Opportunity
        fields = [
            "name",
            "company",
            "primary_contact",
            "amount",
            "currency",
            "expected_close",
            "pipeline",
            "stage",
            "probability",
            "source",
            "owner",
            "description",
        ]
        widgets = {"expected_close": forms.DateInput(), "description": forms.Textarea()}

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        membership = self.request.membership
        company = self.fields["company"]
        company.queryset = company_list(membership=membership).prefetch_related(None)
        company_autocomplete(company, COMPANY_OPTIONS_ID)
        contacts = contact_list(membership=membership).prefetch_related(None).order_by("name")
        company_id = self.instance.company_id or self.initial.get("company_id")
        contact_id = self.instance.primary_contact_id or self.initial.get("primary_contact")
        offered = contacts.filter(company_id=company_id) if company_id else contacts.none()
        if contact_id:
            offered = offered | contacts.filter(pk=contact_id)
        self.fields["primary_contact"].queryset = contacts
        self.fields["primary_contact"].choices = [("", "---------")] + [
            (contact.pk, contact.name) for contact in offered[:CONTACT_CHOICES_LIMIT]
        ]
        pipelines = Pipeline.objects.for_workspace(membership.workspace).order_by("order", "id")
        self.fields["pipeline"].queryset = pipelines
        self.fields["pipeline"].required = False
        self.fields["pipeline"].help_text = _("Empty: the default pipeline.")
        self.fields["stage"].queryset = Stage.objects.for_workspace(membership.workspace)
        self.fields["stage"].choices = [("", "---------")] + [
            (stage.pk, f"{stage.pipeline.name} · {stage.name}")
            for stage in Stage.objects.for_workspace(membership.workspace)
            .select_related("pipeline")
            .order_by("pipeline__order", "pipeline_id", "order")
        ]
        self.fields["stage"].help_text = _("Empty: the pipeline's first stage.")
        if self.instance.pk:
            # the pipeline is fixed once created; the stage changes through the gates
            self.fields["pipeline"].disabled = True
            self.fields["probability"].initial = (
                self.instance.probability if self.instance.probability_custom else None
            )
        apply_widget_classes(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        stage, pipeline = data.get("stage"), data.get("pipeline")
        if self.instance.pk:
            data.pop("pipeline", None)
            if stage is None:
                data.pop("stage", None)
        elif stage is not None and pipeline is not None and stage.pipeline_id != pipeline.pk:
            self.add_error("stage", _("The stage must belong to the chosen pipeline."))
        return data

    def _post_clean(self) -> None:
        # the model's clean() needs pipeline and stage, which the service fills in
        pass


class LostForm(forms.Form):
    lost_reason = forms.CharField(
        label=_("Why was the deal lost?"), max_length=2000, widget=forms.Textarea
    )

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        apply_widget_classes(self)


class DealContactForm(forms.Form):
    contact = forms.ModelChoiceField(queryset=None, label=_("Contact"))
    role = forms.ChoiceField(choices=ContactRole.choices, label=_("Role"))

    def __init__(self, *args: Any, membership: Any, opportunity: Opportunity, **kwargs: Any):
        super().__init__(*args, **kwargs)
        contacts = contact_list(membership=membership).prefetch_related(None).order_by("name")
        self.fields["contact"].queryset = contacts
        offered = (
            contacts.filter(company_id=opportunity.company_id)
            if opportunity.company_id
            else contacts.none()
        )
        self.fields["contact"].choices = [("", "---------")] + [
            (contact.pk, contact.name) for contact in offered[:CONTACT_CHOICES_LIMIT]
        ]
        apply_widget_classes(self)


class PipelineForm(WorkspaceModelForm):
    fieldsets = [(None, ["name", "is_default", "order"])]

    class Meta:
        model = Pipeline
        fields = ["name", "is_default", "order"]


class ChecklistField(forms.CharField):
    """Checklist items, one per line."""

    widget = forms.Textarea

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list | tuple):
            return "\n".join(value)
        return value

    def to_python(self, value: Any) -> list[str]:
        text = super().to_python(value) or ""
        items = [line.strip() for line in text.splitlines() if line.strip()]
        if len(items) > MAX_CHECKLIST_ITEMS:
            raise forms.ValidationError(
                _("At most %(max)s checklist items."), params={"max": MAX_CHECKLIST_ITEMS}
            )
        if any(len(item) > 200 for item in items):
            raise forms.ValidationError(_("Each checklist item has at most 200 characters."))
        if len(set(items)) != len(items):
            raise forms.ValidationError(_("Checklist items must be different."))
        return items


class StageForm(forms.ModelForm):
    required_fields = forms.MultipleChoiceField(
        choices=[],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Fields that must be filled before entering"),
    )
    checklist = ChecklistField(
        required=False,
        label=_("Checklist that must be ticked before entering"),
        help_text=_("One item per line."),
    )

    class Meta:
        model = Stage
        fields = [
            "name",
            "order",
            "probability",
            "kind",
            "colour",
            "stagnation_days",
            "allow_skip",
            "required_fields",
            "checklist",
        ]

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["required_fields"].choices = [
            (name, label) for name, label in GATEABLE_FIELDS.items()
        ]
        apply_widget_classes(self)
        self.fields["required_fields"].widget.attrs["class"] = "form-check-input"

    def _post_clean(self) -> None:
        # the service validates the whole stage (with its pipeline) before saving
        pass
