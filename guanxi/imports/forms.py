"""Forms of the import wizard: the upload, the column mapping with its options, templates."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from guanxi.core.permissions import Action, role_can
from guanxi.imports.choices import ImportMode
from guanxi.imports.models import ImportJob
from guanxi.imports.parsing import MAX_UPLOAD_BYTES
from guanxi.imports.targets import ImportField, available_targets, fields_for, target_for


class UploadForm(forms.Form):
    target = forms.ChoiceField(label=_("Import into"))
    file = forms.FileField(
        label=_("File"),
        help_text=_("CSV (UTF-8 or GBK), Excel .xlsx or vCard .vcf; up to 20 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,.xlsx,.vcf"}),
    )

    def __init__(self, *args: Any, membership: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        # only what this role may add records to
        self.fields["target"].choices = [
            (t.key, t.label)
            for t in available_targets()
            if role_can(membership.role, t.resource, Action.ADD)
        ]
        for field in self.fields.values():
            field.widget.attrs.setdefault(
                "class", "form-select" if field is self.fields["target"] else "form-control"
            )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(size)s MB."),
                params={"size": MAX_UPLOAD_BYTES // 2**20},
            )
        return upload


def field_choices(fields: tuple[ImportField, ...]) -> list[tuple[str, str]]:
    return [("", _("— do not import —"))] + [
        (f.key, f"{f.label}{' *' if f.required else ''}") for f in fields
    ]


class MappingForm(forms.Form):
    """One select per column of the file (`column_<index>`) plus the import options."""

    mode = forms.ChoiceField(
        label=_("Mode"),
        choices=ImportMode.choices,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    match_on = forms.ChoiceField(label=_("Match existing records on"), required=False)
    all_or_nothing = forms.BooleanField(
        label=_("All or nothing"),
        required=False,
        help_text=_(
            "Import nothing if any row is invalid. Turn off to import the valid rows and get "
            "a report of the others."
        ),
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )

    def __init__(self, *args: Any, job: ImportJob, **kwargs: Any):
        kwargs.setdefault(
            "initial",
            {
                "mode": job.mode,
                "match_on": job.match_on,
                "all_or_nothing": job.all_or_nothing,
                **{f"column_{i}": key for i, key in job.mapping.items()},
            },
        )
        super().__init__(*args, **kwargs)
        self.job = job
        target = target_for(job.target)
        self.fields["match_on"].choices = [("", "—")] + [
            (key.field, key.label) for key in target.natural_keys
        ]
        self.fields["match_on"].widget.attrs["class"] = "form-select"
        choices = field_choices(fields_for(target, job.workspace))
        for index, header in enumerate(job.headers):
            self.fields[f"column_{index}"] = forms.ChoiceField(
                label=header or _("(column %(number)s)") % {"number": index + 1},
                choices=choices,
                required=False,
                widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
            )

    def column_fields(self) -> list[forms.BoundField]:
        return [self[f"column_{i}"] for i in range(len(self.job.headers))]

    def mapping(self) -> dict[str, str]:
        return {
            str(i): self.cleaned_data.get(f"column_{i}", "")
            for i in range(len(self.job.headers))
            if self.cleaned_data.get(f"column_{i}")
        }


class TemplateNameForm(forms.Form):
    name = forms.CharField(label=_("Template name"), max_length=100)
