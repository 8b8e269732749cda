"""The company form of the web UI: the service's editable fields, scoped to the workspace."""

from typing import Any

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from guanxi.companies.models import ADDRESS_FIELDS, Company
from guanxi.companies.services import COMPANY_EDITABLE_FIELDS
from guanxi.core.forms import TagNamesField, WorkspaceModelForm


class CompanyForm(WorkspaceModelForm):
    website = forms.URLField(
        label=_("website"), required=False, max_length=200, assume_scheme="https"
    )
    tags = TagNamesField()
    # other names (short, brand, English, former): CompanyAlias rows, matched by search and
    # duplicate detection; the services parse the text (quality.aliases)
    aliases = forms.CharField(
        label=_("Aliases"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Other names of this company, separated by commas or new lines."),
    )

    fieldsets = [
        (_("Company"), ["name", "short_name", "aliases", "industry", "size", "website", "phone"]),
        (
            _("Relationship"),
            [
                "lifecycle_stage",
                "customer_type",
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
        model = Company
        # custom_fields gets one form field per definition (WorkspaceModelForm)
        fields = [name for name in COMPANY_EDITABLE_FIELDS if name != "custom_fields"]

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            names = self.instance.aliases.values_list("name", flat=True)
            self.fields["aliases"].initial = "\n".join(names)


def company_autocomplete(field: forms.Field, options_id: str) -> None:
    """Suggest companies (those the member may see) while a company field is typed in: the
    input's datalist `options_id` is filled by htmx from the autocomplete view."""
    field.widget.attrs.update(
        {
            "list": options_id,
            "hx-get": reverse("companies:autocomplete"),
            "hx-trigger": "input changed delay:300ms",
            "hx-target": f"#{options_id}",
            "hx-swap": "innerHTML",
            "hx-sync": "this:replace",
        }
    )
