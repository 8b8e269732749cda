"""Pipeline and deal API representations."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from guanxi.companies.models import Company
from guanxi.contacts.models import Contact
from guanxi.core.api.serializers import (
    OwnerSummarySerializer,
    WorkspaceRelatedField,
    WorkspaceUserField,
)
from guanxi.opportunities.choices import ContactRole
from guanxi.opportunities.models import Opportunity, OpportunityContact, Pipeline, Stage


class StageSerializer(serializers.ModelSerializer):
    class Meta:
        model = Stage
        fields = [
            "id",
            "name",
            "order",
            "probability",
            "kind",
            "colour",
            "required_fields",
            "checklist",
            "allow_skip",
            "stagnation_days",
        ]


class PipelineSerializer(serializers.ModelSerializer):
    stages = StageSerializer(many=True, read_only=True)

    class Meta:
        model = Pipeline
        fields = ["id", "name", "is_default", "order", "stages", "created_at", "updated_at"]


class SummarySerializer(serializers.Serializer):
    id = serializers.UUIDField()
    name = serializers.CharField()


class StageSummarySerializer(serializers.Serializer):
    id = serializers.UUIDField()
    name = serializers.CharField()
    kind = serializers.CharField()


class DealContactSerializer(serializers.ModelSerializer):
    contact = SummarySerializer(read_only=True)

    class Meta:
        model = OpportunityContact
        fields = ["contact", "role"]


class OpportunitySerializer(serializers.ModelSerializer):
    owner = OwnerSummarySerializer(read_only=True, allow_null=True)
    company = SummarySerializer(read_only=True, allow_null=True)
    primary_contact = SummarySerializer(read_only=True, allow_null=True)
    pipeline = SummarySerializer(read_only=True)
    stage = StageSummarySerializer(read_only=True)
    weighted_amount = serializers.DecimalField(max_digits=16, decimal_places=2, read_only=True)
    contacts = DealContactSerializer(source="contact_roles", many=True, read_only=True)
    lead = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)

    class Meta:
        model = Opportunity
        fields = [
            "id",
            "name",
            "company",
            "primary_contact",
            "contacts",
            "amount",
            "currency",
            "expected_close",
            "pipeline",
            "stage",
            "probability",
            "probability_custom",
            "weighted_amount",
            "status",
            "lost_reason",
            "source",
            "lead",
            "description",
            "checklist_done",
            "owner",
            "stage_entered_at",
            "closed_at",
            "created_at",
            "updated_at",
        ]


class DealContactWriteSerializer(serializers.Serializer):
    contact = WorkspaceRelatedField(Contact)
    role = serializers.ChoiceField(choices=ContactRole.choices)


class OpportunityWriteSerializer(serializers.ModelSerializer):
    company = WorkspaceRelatedField(Company, required=False, allow_null=True)
    primary_contact = WorkspaceRelatedField(Contact, required=False, allow_null=True)
    pipeline = WorkspaceRelatedField(Pipeline, required=False)
    stage = WorkspaceRelatedField(Stage, required=False)
    owner = WorkspaceUserField(required=False, allow_null=True)
    probability = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=0,
        max_value=100,
        help_text=_("Empty (null): the stage's default probability."),
    )
    checklist_done = serializers.ListField(
        child=serializers.CharField(max_length=200), required=False, max_length=100
    )
    contacts = DealContactWriteSerializer(many=True, required=False, write_only=True)

    class Meta:
        model = Opportunity
        fields = [
            "name",
            "company",
            "primary_contact",
            "contacts",
            "amount",
            "currency",
            "expected_close",
            "pipeline",
            "stage",
            "probability",
            "source",
            "description",
            "checklist_done",
            "owner",
            "lost_reason",
        ]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs = super().validate(attrs)
        if self.instance is not None and "pipeline" in attrs:
            if attrs["pipeline"].pk != self.instance.pipeline_id:
                raise serializers.ValidationError(
                    {"pipeline": _("A deal cannot change pipeline; create it in the other one.")}
                )
            attrs.pop("pipeline")
        if "contacts" in attrs:
            attrs["contacts"] = [(item["contact"], item["role"]) for item in attrs["contacts"]]
        return attrs


class MoveSerializer(serializers.Serializer):
    stage = WorkspaceRelatedField(Stage)
    lost_reason = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class LostSerializer(serializers.Serializer):
    lost_reason = serializers.CharField(max_length=2000)
