"""Contact API representations; personal fields are masked for roles without view_sensitive."""

from rest_framework import serializers

from guanxi.companies.models import Company
from guanxi.contacts.models import Contact
from guanxi.contacts.services import CONTACT_EDITABLE_FIELDS
from guanxi.core.api.serializers import (
    CustomFieldsField,
    CustomFieldsWriteMixin,
    MaskedSensitiveMixin,
    OwnerSummarySerializer,
    TagNamesField,
    WorkspaceRelatedField,
    WorkspaceUserField,
)

# plain fields as the service edits them; relations are declared below
CONTACT_FIELDS = [
    name for name in CONTACT_EDITABLE_FIELDS if name not in ("company", "owner", "tags")
]


class CompanySummarySerializer(serializers.Serializer):
    id = serializers.UUIDField()
    name = serializers.CharField()


class ContactSerializer(MaskedSensitiveMixin, serializers.ModelSerializer):
    owner = OwnerSummarySerializer(read_only=True, allow_null=True)
    company = CompanySummarySerializer(read_only=True, allow_null=True)
    tags = TagNamesField(read_only=True)
    custom_fields = CustomFieldsField(read_only=True)
    is_individual = serializers.BooleanField(read_only=True)

    class Meta:
        # read-only by use, see CompanySerializer
        model = Contact
        fields = [
            "id",
            *CONTACT_FIELDS,
            "company",
            "is_individual",
            "owner",
            "tags",
            "created_at",
            "updated_at",
        ]


class ContactWriteSerializer(CustomFieldsWriteMixin, serializers.ModelSerializer):
    mobile = serializers.CharField(required=False, allow_blank=True, max_length=32)
    email = serializers.CharField(required=False, allow_blank=True, max_length=254)
    id_number = serializers.CharField(required=False, allow_blank=True, max_length=32)
    company = WorkspaceRelatedField(Company, required=False, allow_null=True)
    owner = WorkspaceUserField(required=False, allow_null=True)
    tags = TagNamesField(required=False)
    custom_fields = CustomFieldsField(required=False)

    class Meta:
        model = Contact
        fields = [*CONTACT_FIELDS, "company", "owner", "tags"]
