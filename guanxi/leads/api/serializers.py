"""Lead API representations; mobile and email are masked for roles without view_sensitive."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from guanxi.contacts.models import Contact
from guanxi.core.api.serializers import (
    CustomFieldsField,
    CustomFieldsWriteMixin,
    MaskedSensitiveMixin,
    OwnerSummarySerializer,
    TagNamesField,
    WorkspaceRelatedField,
    WorkspaceUserField,
)
from guanxi.leads.models import Lead
from guanxi.leads.scoring import score_lead
from guanxi.leads.services import LEAD_EDITABLE_FIELDS, scoring_model_for

LEAD_FIELDS = [name for name in LEAD_EDITABLE_FIELDS if name not in ("owner", "tags")]
MAX_AMOUNT = 10**12


class LeadLineageSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    name = serializers.CharField(source="__str__")


class ScoreLineSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    value = serializers.CharField()
    points = serializers.IntegerField(min_value=0, max_value=5)
    weight = serializers.IntegerField(min_value=0, max_value=100)
    contribution = serializers.DecimalField(max_digits=5, decimal_places=2)


class LeadSerializer(MaskedSensitiveMixin, serializers.ModelSerializer):
    owner = OwnerSummarySerializer(read_only=True, allow_null=True)
    tags = TagNamesField(read_only=True)
    custom_fields = CustomFieldsField(read_only=True)
    matched_contact = LeadLineageSerializer(read_only=True, allow_null=True)
    converted_company = LeadLineageSerializer(read_only=True, allow_null=True)
    converted_contact = LeadLineageSerializer(read_only=True, allow_null=True)
    converted_opportunity = LeadLineageSerializer(read_only=True, allow_null=True)
    score_breakdown = serializers.SerializerMethodField()

    class Meta:
        model = Lead
        fields = [
            "id",
            *LEAD_FIELDS,
            "owner",
            "tags",
            "score",
            "score_stage",
            "score_breakdown",
            "consent_at",
            "consent_text",
            "matched_contact",
            "converted_company",
            "converted_contact",
            "converted_opportunity",
            "converted_at",
            "created_at",
            "updated_at",
        ]

    @extend_schema_field(ScoreLineSerializer(many=True))
    def get_score_breakdown(self, lead: Lead) -> list[dict[str, Any]]:
        """Why the lead has its score: per criterion the value, points, weight, contribution.
        Computed from the workspace's scoring model, read once per request."""
        cache = self.context.setdefault("_scoring_model", {})
        if "model" not in cache:
            cache["model"] = scoring_model_for(lead.workspace_id)
        model = cache["model"]
        result = score_lead(
            lead, criteria=model.criteria, mql=model.mql_threshold, sql=model.sql_threshold
        )
        return result.breakdown()


class LeadWriteSerializer(CustomFieldsWriteMixin, serializers.ModelSerializer):
    mobile = serializers.CharField(required=False, allow_blank=True, max_length=32)
    email = serializers.CharField(required=False, allow_blank=True, max_length=254)
    owner = WorkspaceUserField(required=False, allow_null=True)
    tags = TagNamesField(required=False)
    custom_fields = CustomFieldsField(required=False)

    class Meta:
        model = Lead
        fields = [*LEAD_FIELDS, "owner", "tags"]


class LeadConvertSerializer(serializers.Serializer):
    company_name = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=200,
        help_text="Company to link (same name) or create; omit for the lead's, empty for none.",
    )
    contact = WorkspaceRelatedField(
        Contact, required=False, allow_null=True, help_text="An existing contact to link."
    )
    create_opportunity = serializers.BooleanField(default=True)
    opportunity_name = serializers.CharField(required=False, allow_blank=True, max_length=200)
    amount = serializers.DecimalField(
        required=False, max_digits=14, decimal_places=2, min_value=0, max_value=MAX_AMOUNT
    )
    expected_close = serializers.DateField(required=False)


class LeadAssignSerializer(serializers.Serializer):
    owner = WorkspaceUserField(
        required=False,
        allow_null=True,
        help_text="Manual override; omit to route the lead through the assignment rules.",
    )
