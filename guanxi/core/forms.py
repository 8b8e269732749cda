"""Form building blocks for the web UI: workspace-scoped choices, tags as text, Tabler widgets."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from guanxi.core.bulk import MAX_BULK_RECORDS
from guanxi.core.filtersets import MultiTagSelect, workspace_users
from guanxi.core.permissions import Action

MAX_TAGS = 50
MAX_TAG_LENGTH = 50
# people type ASCII or full-width (Chinese) commas and semicolons between tag names
TAG_SEPARATORS = re.compile(r"[,，;；、]")


class TagNamesField(forms.CharField):
    """Tags typed as comma-separated names; the service creates the names that are new."""

    default_error_messages = {
        "too_many": _("At most %(max)s tags."),
        "too_long": _("Each tag has at most %(max)s characters: “%(name)s” is longer."),
    }

    def __init__(self, **kwargs: Any):
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", _("Tags"))
        kwargs.setdefault("help_text", _("Separate tags with commas."))
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list | tuple):
            return ", ".join(str(item) for item in value)
        return value

    def to_python(self, value: Any) -> list[str]:
        text = super().to_python(value)
        names = sorted({name.strip() for name in TAG_SEPARATORS.split(text) if name.strip()})
        if len(names) > MAX_TAGS:
            raise forms.ValidationError(
                self.error_messages["too_many"], code="too_many", params={"max": MAX_TAGS}
            )
        for name in names:
            if len(name) > MAX_TAG_LENGTH:
                raise forms.ValidationError(
                    self.error_messages["too_long"],
                    code="too_long",
                    params={"max": MAX_TAG_LENGTH, "name": name[:60]},
                )
        return names


class WorkspaceMemberField(forms.ModelChoiceField):
    """A user who is a member of the request's workspace; other ids are invalid choices."""

    def __init__(self, request: Any, **kwargs: Any):
        kwargs.setdefault("label", _("Owner"))
        super().__init__(queryset=workspace_users(request), **kwargs)


class ListSelect(forms.Select):
    """A one-choice <select> for a many-value field: the field still receives a list."""

    def value_from_datadict(self, data: Any, files: Any, name: str) -> list[str]:
        values = data.getlist(name) if hasattr(data, "getlist") else [data.get(name)]
        return [value for value in values if value]


def single_choice_filters(form: forms.BaseForm, empty_label: str = "---------") -> None:
    """Many-value choice filters as plain selects: a list page filters by one tag at a time."""
    for field in form.fields.values():
        if isinstance(field.widget, MultiTagSelect):
            continue
        if isinstance(field, forms.ModelMultipleChoiceField):
            field.empty_label = empty_label
            field.widget = ListSelect(choices=field.choices)


def apply_widget_classes(form: forms.BaseForm) -> None:
    """Tabler/Bootstrap classes on every widget, so templates render fields plainly."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.DateInput):
            # the browser's date picker sends and expects ISO dates whatever the language
            widget.input_type = "date"
            widget.format = "%Y-%m-%d"
        if isinstance(widget, forms.CheckboxInput):
            css = "form-check-input"
        elif isinstance(widget, forms.Select):
            css = "form-select"
        else:
            css = "form-control"
        widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()
        if isinstance(widget, forms.Textarea):
            widget.attrs["rows"] = 3


def has_custom_fields(model: type | None) -> bool:
    return model is not None and any(f.name == "custom_fields" for f in model._meta.fields)


class WorkspaceModelForm(forms.ModelForm):
    """A record form bound to the request's workspace.

    The instance carries the workspace, so model validation (unique per workspace, related
    records of the same workspace) runs while typing; the service still does the write.
    `fieldsets` groups the fields on the page: [(legend, [field names])].
    """

    fieldsets: list[tuple[str, list[str]]] = []

    def __init__(self, *args: Any, request: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.request = request
        self.instance.workspace = request.workspace
        if "owner" in self.fields:
            self.fields["owner"] = WorkspaceMemberField(
                request, required=False, empty_label=_("Nobody (shared)")
            )
        self.custom_field_names: list[str] = []
        if has_custom_fields(self._meta.model):
            # one field per active custom field definition of the workspace (PLAT-6)
            from guanxi.customfields.forms import add_custom_value_fields

            self.custom_field_names = add_custom_value_fields(
                self, workspace=request.workspace, instance=self.instance
            )
            if self.custom_field_names:
                self.fieldsets = [*self.fieldsets, (_("More details"), self.custom_field_names)]
        apply_widget_classes(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if self.custom_field_names:
            from guanxi.customfields.forms import clean_custom_value_fields

            values = clean_custom_value_fields(self, instance=self.instance)
            if values is not None:
                data["custom_fields"] = values
        return data

    def _get_validation_exclusions(self) -> set[str]:
        # the workspace is set by us, not typed: include it so (workspace, name) constraints
        # are checked here with the other field errors, not only when the service saves
        return super()._get_validation_exclusions() - {"workspace"}

    def drop_fields(self, names: set[str]) -> None:
        for name in names:
            self.fields.pop(name, None)

    def fieldset_groups(self) -> Iterator[tuple[str, list[forms.BoundField]]]:
        placed: set[str] = set()
        for legend, names in self.fieldsets:
            fields = [self[name] for name in names if name in self.fields]
            placed.update(names)
            if fields:
                yield legend, fields
        rest = [self[name] for name in self.fields if name not in placed]
        if rest:
            yield "", rest


class RecordByNameField(forms.ModelChoiceField):
    """A related record typed by its unique name, for tables too big for a <select>.

    Pair the input with a <datalist> filled by an ObjectAutocompleteView.
    """

    def __init__(self, queryset: Any, *, to_field_name: str = "name", **kwargs: Any):
        kwargs.setdefault("widget", forms.TextInput(attrs={"autocomplete": "off"}))
        kwargs.setdefault(
            "error_messages",
            {"invalid_choice": _("There is no “%(value)s” in this workspace.")},
        )
        super().__init__(queryset, to_field_name=to_field_name, **kwargs)

    def to_python(self, value: Any) -> Any:
        return super().to_python(value.strip() if isinstance(value, str) else value)

    def prepare_value(self, value: Any) -> Any:
        # an instance's initial value is its foreign key: show the name instead
        if isinstance(value, uuid.UUID):
            return (
                self.queryset.filter(pk=value).values_list(self.to_field_name, flat=True).first()
                or ""
            )
        return super().prepare_value(value)


class UUIDListField(forms.Field):
    """Many record ids from checkboxes; anything that is not a UUID is an error."""

    widget = forms.MultipleHiddenInput
    default_error_messages = {
        "invalid": _("The selection contains an invalid record id."),
        "too_many": _("Select at most %(max)s records at a time."),
    }

    def to_python(self, value: Any) -> list[str]:
        values = value if isinstance(value, list | tuple) else ([value] if value else [])
        if len(values) > MAX_BULK_RECORDS:
            raise forms.ValidationError(
                self.error_messages["too_many"], code="too_many", params={"max": MAX_BULK_RECORDS}
            )
        field = forms.UUIDField()
        try:
            return sorted({str(field.clean(item)) for item in values})
        except forms.ValidationError as exc:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from exc


BULK_ACTIONS: dict[str, tuple[str, str]] = {
    # action → (label, the permission it needs)
    "assign_owner": (_("Assign owner"), Action.CHANGE),
    "add_tag": (_("Add tags"), Action.CHANGE),
    "remove_tag": (_("Remove tags"), Action.CHANGE),
    "delete": (_("Delete"), Action.DELETE),
}


class BulkActionForm(forms.Form):
    """What to do with the selected records; owner and tags are scoped to the workspace."""

    action = forms.ChoiceField(
        choices=[(key, label) for key, (label, _perm) in BULK_ACTIONS.items()]
    )
    pk = UUIDListField(required=True, error_messages={"required": _("Select at least one record.")})
    owner = forms.ModelChoiceField(queryset=None, required=False, label=_("New owner"))
    tags = TagNamesField(help_text="")
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, request: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = workspace_users(request)
        apply_widget_classes(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        action = data.get("action")
        if action == "assign_owner" and not data.get("owner"):
            self.add_error("owner", _("Choose the new owner."))
        if action in ("add_tag", "remove_tag") and not data.get("tags"):
            self.add_error("tags", _("Type at least one tag."))
        return data


def field_errors_of(form: forms.BaseForm, error_fields: dict[str, list[str]]) -> None:
    """Put a service's {field: [messages]} on the form; unknown fields become form errors."""
    for name, messages in error_fields.items():
        target = name if name in form.fields else None
        for message in messages:
            form.add_error(target, message)
