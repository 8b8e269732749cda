"""The company form of the web UI: the service's editable fields, scoped to the workspace."""

from django import forms
from django.utils.translation import gettext_lazy as _

from guanxi.companies.models import ADDRESS_FIELDS, Company
from guanxi.companies.services import COMPANY_EDITABLE_FIELDS
from guanxi.core.forms import TagNamesField, WorkspaceModelForm


class CompanyForm(WorkspaceModelForm):
    website = forms.URLField(
        label=_("website"), required=False, max_length=200, assume_scheme="https"
    )
    tags = TagNamesField()

    fieldsets = [
        (_("Company"), ["name", "short_name", "industry", "size", "website", "phone"]),
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
        fields = list(COMPANY_EDITABLE_FIELDS)
