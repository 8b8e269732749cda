"""Interaction API representations; `content` is returned as stored (sanitised HTML)."""

from rest_framework import serializers

from guanxi.companies.models import Company
from guanxi.contacts.api.serializers import CompanySummarySerializer
from guanxi.contacts.models import Contact
from guanxi.core.api.serializers import (
    OwnerSummarySerializer,
    WorkspaceRelatedField,
    WorkspaceUserField,
)
from guanxi.interactions.models import MAX_CONTENT_LENGTH, Interaction

PLAIN_FIELDS = [
    "occurred_at",
    "channel",
    "direction",
    "subject",
    "content",
    "status",
    "next_follow_up",
    "follow_up_done",
]


class ContactSummarySerializer(serializers.Serializer):
    id = serializers.UUIDField()
    name = serializers.CharField()


class InteractionSerializer(serializers.ModelSerializer):
    contact = ContactSummarySerializer(read_only=True, allow_null=True)
    company = CompanySummarySerializer(read_only=True, allow_null=True)
    owner = OwnerSummarySerializer(read_only=True, allow_null=True)

    class Meta:
        # read-only by use: writes go through InteractionWriteSerializer
        model = Interaction
        fields = ["id", "contact", "company", *PLAIN_FIELDS, "owner", "created_at", "updated_at"]


class InteractionWriteSerializer(serializers.ModelSerializer):
    contact = WorkspaceRelatedField(Contact, required=False, allow_null=True)
    company = WorkspaceRelatedField(Company, required=False, allow_null=True)
    owner = WorkspaceUserField(required=False, allow_null=True)
    content = serializers.CharField(
        required=False, allow_blank=True, max_length=MAX_CONTENT_LENGTH, trim_whitespace=False
    )

    class Meta:
        model = Interaction
        fields = ["contact", "company", *PLAIN_FIELDS, "owner"]
