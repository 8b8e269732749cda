"""Form fields for custom field values, and the definition and tag administration forms."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from guanxi.core.forms import apply_widget_classes
from guanxi.core.models import Tag
from guanxi.customfields.models import (
    CHOICE_TYPES,
    KEY_RE,
    CustomFieldDefinition,
    CustomFieldModel,
    CustomFieldType,
)
from guanxi.customfields.values import (
    MAX_DECIMAL_DIGITS,
    MAX_DECIMAL_PLACES,
    MAX_EMAIL_LENGTH,
    MAX_INTEGER,
    MAX_PHONE_LENGTH,
    MAX_TEXT_LENGTH,
    MAX_URL_LENGTH,
    clean_custom_values,
    definitions_for,
    format_custom_value,
    parse_custom_value,
)

T = CustomFieldType
FIELD_PREFIX = "cf_"
BOOLEAN_CHOICES = [("", "—"), ("true", _("Yes")), ("false", _("No"))]


def form_field_for(definition: CustomFieldDefinition) -> forms.Field:
    """A form field with the right widget and limits for one definition."""
    common: dict[str, Any] = {
        "label": definition.label,
        "required": definition.required,
        "help_text": definition.help_text,
    }
    kind = definition.type
    if kind == T.NUMBER:
        return forms.IntegerField(min_value=-MAX_INTEGER, max_value=MAX_INTEGER, **common)
    if kind == T.DECIMAL:
        return forms.DecimalField(
            max_digits=MAX_DECIMAL_DIGITS, decimal_places=MAX_DECIMAL_PLACES, **common
        )
    if kind == T.DATE:
        return forms.DateField(widget=forms.DateInput(), **common)
    if kind == T.BOOLEAN:
        return forms.TypedChoiceField(
            choices=BOOLEAN_CHOICES,
            coerce=lambda value: value == "true",
            empty_value=None,
            **common,
        )
    if kind == T.CHOICE:
        return forms.ChoiceField(
            choices=[("", "—"), *((c, c) for c in definition.choices)], **common
        )
    if kind == T.MULTI_CHOICE:
        return forms.MultipleChoiceField(choices=[(c, c) for c in definition.choices], **common)
    if kind == T.URL:
        return forms.URLField(max_length=MAX_URL_LENGTH, assume_scheme="https", **common)
    if kind == T.EMAIL:
        return forms.EmailField(max_length=MAX_EMAIL_LENGTH, **common)
    if kind == T.PHONE:
        return forms.CharField(
            max_length=MAX_PHONE_LENGTH,
            widget=forms.TextInput(attrs={"inputmode": "tel"}),
            **common,
        )
    return forms.CharField(max_length=MAX_TEXT_LENGTH, **common)


def initial_for(definition: CustomFieldDefinition, value: Any) -> Any:
    """A stored JSON value as the form field's initial value."""
    if value is None:
        return None
    if definition.type == T.BOOLEAN:
        return "true" if value else "false"
    if definition.type == T.DATE and isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            return None
    if definition.type == T.DECIMAL:
        return Decimal(str(value))
    return value


def add_custom_value_fields(form: forms.BaseForm, *, workspace: Any, instance: Any) -> list[str]:
    """One form field per active definition of the instance's model; returns their names.

    Creating a record shows each definition's default; editing shows the stored values.
    """
    model_label = instance._meta.label_lower
    definitions = definitions_for(workspace, model_label)
    form.custom_field_definitions = definitions
    stored = None if instance._state.adding else instance.custom_fields
    names = []
    for definition in definitions:
        name = FIELD_PREFIX + definition.key
        field = form_field_for(definition)
        value = definition.default if stored is None else stored.get(definition.key)
        field.initial = initial_for(definition, value)
        form.fields[name] = field
        names.append(name)
    return names


def clean_custom_value_fields(form: forms.BaseForm, *, instance: Any) -> dict | None:
    """The record's new `custom_fields` dict from the form's fields, errors put on the fields."""
    definitions = getattr(form, "custom_field_definitions", [])
    raw = {}
    for definition in definitions:
        name = FIELD_PREFIX + definition.key
        if name in form.cleaned_data:
            raw[definition.key] = form.cleaned_data.pop(name)
        elif name in form.errors:
            return None
    # the form shows every active field: an empty one removes the value
    existing = {} if instance._state.adding else instance.custom_fields
    try:
        return clean_custom_values(definitions, raw, existing=existing)
    except ValidationError as exc:
        for key, messages in exc.message_dict.items():
            target = FIELD_PREFIX + key.removeprefix("custom_fields.")
            for message in messages:
                form.add_error(target if target in form.fields else None, message)
        return None


# --- administration ---------------------------------------------------------------------
CHOICE_SEPARATORS = re.compile(r"[\r\n]+")


class DefinitionForm(forms.ModelForm):
    """Create or edit a definition; choices are typed one per line, the default as text."""

    choices_text = forms.CharField(
        label=_("Choices"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("For choice fields: one choice per line."),
    )
    default_text = forms.CharField(
        label=_("Default"),
        required=False,
        max_length=MAX_TEXT_LENGTH,
        help_text=_(
            "Filled in on new records. Yes/no: 是/否 or yes/no; dates YYYY-MM-DD; several choices separated by ;"
        ),
    )

    class Meta:
        model = CustomFieldDefinition
        fields = ["label", "key", "type", "required", "help_text"]

    def __init__(self, *args: Any, workspace: Any, model_label: str, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.instance.workspace = workspace
        self.instance.model = model_label
        self.fields["key"].required = False
        self.fields["key"].help_text = _(
            "Letters, digits and _ ; used in the API, imports and filters (cf_<key>). Made from "
            "the label when empty. Cannot be changed later."
        )
        if not self.instance._state.adding:
            # values are stored under the key and typed by the type: both are fixed
            for name in ("key", "type"):
                self.fields[name].disabled = True
            self.initial["choices_text"] = "\n".join(self.instance.choices)
            self.initial["default_text"] = format_custom_value(self.instance, self.instance.default)
        apply_widget_classes(self)

    def _update_errors(self, errors: ValidationError) -> None:
        # the model validates `choices` and `default`; the form edits them as text
        if hasattr(errors, "error_dict"):
            renamed = {"choices": "choices_text", "default": "default_text"}
            errors = ValidationError(
                {renamed.get(name, name): value for name, value in errors.error_dict.items()}
            )
        super()._update_errors(errors)

    def clean_key(self) -> str:
        if not self.instance._state.adding:
            return self.instance.key
        taken = set(
            CustomFieldDefinition.objects.filter(
                workspace=self.instance.workspace, model=self.instance.model
            ).values_list("key", flat=True)
        )
        key = (self.cleaned_data.get("key") or "").strip().lower()
        if not key:
            # from a Latin label ("Shoe size" → shoe_size); Chinese labels get field_<n>
            key = re.sub(r"[^a-z0-9]+", "_", (self.data.get("label") or "").lower()).strip("_")
            key = key[:40] if key and key[0].isalpha() else ""
            base, n = key or "field", 1
            while not key or key in taken:
                key, n = f"{base}_{n}", n + 1
        if not KEY_RE.fullmatch(key):
            raise ValidationError(
                _(
                    "Start with a letter; use only lowercase letters, digits and single _ (at most 50)."
                )
            )
        if key in taken:
            raise ValidationError(
                _("Another field of this record type already uses the key “%(key)s”.")
                % {"key": key}
            )
        return key

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        kind = data.get("type") or self.instance.type
        choices = [
            c.strip() for c in CHOICE_SEPARATORS.split(data.get("choices_text", "")) if c.strip()
        ]
        data["choices"] = choices if kind in CHOICE_TYPES else []
        self.instance.choices = data["choices"]
        default_text = data.get("default_text", "").strip()
        data["default"] = None
        if default_text and kind:
            probe = CustomFieldDefinition(
                label=data.get("label") or "", type=kind, choices=data["choices"]
            )
            try:
                data["default"] = parse_custom_value(probe, default_text)
            except ValidationError as exc:
                self.add_error("default_text", exc.messages)
        self.instance.default = data["default"]
        return data


class DeleteDefinitionForm(forms.Form):
    clear_values = forms.BooleanField(
        required=False,
        label=_("Also clear the stored values of every record"),
    )

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        apply_widget_classes(self)


class TagForm(forms.ModelForm):
    class Meta:
        model = Tag
        fields = ["name", "group", "colour"]

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        apply_widget_classes(self)


class TagMergeForm(forms.Form):
    target = forms.ModelChoiceField(
        queryset=Tag.objects.none(),
        label=_("Merge into"),
        help_text=_("Every record with this tag gets the chosen tag instead; this tag is deleted."),
    )

    def __init__(self, *args: Any, tag: Tag, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = Tag.objects.filter(workspace_id=tag.workspace_id).exclude(
            pk=tag.pk
        )
        self.fields["target"].widget.attrs["class"] = "form-select"


MODEL_CHOICES = CustomFieldModel.choices
