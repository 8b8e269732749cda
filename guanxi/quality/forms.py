"""The settings form of the quality app: thresholds and one weight per completeness field."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from guanxi.companies.models import Company
from guanxi.contacts.models import Contact
from guanxi.quality.choices import RecordType
from guanxi.quality.completeness import DEFAULT_WEIGHTS, weights_for
from guanxi.quality.models import QualitySettings

MAX_WEIGHT = 10
WEIGHT_PREFIX = {RecordType.CONTACT: "contact__", RecordType.COMPANY: "company__"}
MODEL_OF = {RecordType.CONTACT: Contact, RecordType.COMPANY: Company}


class QualitySettingsForm(forms.Form):
    duplicate_threshold = forms.IntegerField(
        label=_("Duplicate threshold"),
        min_value=0,
        max_value=100,
        help_text=_("Pairs scoring at least this much (0–100) are shown as possible duplicates."),
    )
    completeness_threshold = forms.IntegerField(
        label=_("Completeness threshold (%)"),
        min_value=0,
        max_value=100,
        help_text=_(
            "Steps that require complete records (e.g. order submission) refuse records below this."
        ),
    )

    def __init__(self, *args: Any, settings: QualitySettings, **kwargs: Any):
        initial = {
            "duplicate_threshold": settings.duplicate_threshold,
            "completeness_threshold": settings.completeness_threshold,
        }
        self.weight_groups: list[tuple[str, list[str]]] = []
        fields: dict[str, forms.Field] = {}
        for record_type, prefix in WEIGHT_PREFIX.items():
            model = MODEL_OF[record_type]
            names = []
            for name, weight in weights_for(settings, record_type).items():
                key = prefix + name
                fields[key] = forms.IntegerField(
                    label=str(model._meta.get_field(name).verbose_name).capitalize(),
                    min_value=0,
                    max_value=MAX_WEIGHT,
                )
                initial[key] = weight
                names.append(key)
            self.weight_groups.append((str(model._meta.verbose_name_plural).capitalize(), names))
        super().__init__(*args, initial=initial, **kwargs)
        self.fields.update(fields)
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-control")

    def grouped(self) -> list[tuple[str, list[forms.BoundField]]]:
        return [(label, [self[name] for name in names]) for label, names in self.weight_groups]

    def settings_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        weights = {
            record_type: {name: data[prefix + name] for name in DEFAULT_WEIGHTS[record_type]}
            for record_type, prefix in WEIGHT_PREFIX.items()
        }
        return {
            "duplicate_threshold": data["duplicate_threshold"],
            "completeness_threshold": data["completeness_threshold"],
            "contact_weights": weights[RecordType.CONTACT],
            "company_weights": weights[RecordType.COMPANY],
        }
