"""Company API representations: one for reads, one for writes (no workspace, id or audit fields)."""

from rest_framework import serializers

from guanxi.companies.models import Company
from guanxi.companies.services import COMPANY_EDITABLE_FIELDS
from guanxi.core.api.serializers import (
    CustomFieldsField,
    CustomFieldsWriteMixin,
    OwnerSummarySerializer,
    TagNamesField,
    WorkspaceUserField,
)

# plain fields as the service edits them; relations are declared below
COMPANY_FIELDS = [name for name in COMPANY_EDITABLE_FIELDS if name not in ("owner", "tags")]


class CompanySerializer(serializers.ModelSerializer):
    owner = OwnerSummarySerializer(read_only=True, allow_null=True)
    tags = TagNamesField(read_only=True)
    custom_fields = CustomFieldsField(read_only=True)

    class Meta:
        # read-only by use (the viewset writes through the write serializer); the fields are
        # not marked read_only so that the schema keeps their blank choices and empty URLs
        model = Company
        fields = ["id", *COMPANY_FIELDS, "owner", "tags", "created_at", "updated_at"]


class CompanyWriteSerializer(CustomFieldsWriteMixin, serializers.ModelSerializer):
    owner = WorkspaceUserField(required=False, allow_null=True)
    tags = TagNamesField(required=False)
    custom_fields = CustomFieldsField(required=False)

    class Meta:
        model = Company
        fields = [*COMPANY_FIELDS, "owner", "tags"]
        # uniqueness (workspace, name) is checked by the model with a specific message
        validators = []
