"""The custom field definitions as API clients discover them."""

from rest_framework import serializers

from guanxi.customfields.models import CustomFieldDefinition


class CustomFieldDefinitionSerializer(serializers.ModelSerializer):
    default = serializers.JSONField(
        read_only=True, allow_null=True, help_text="The value new records get, stored form."
    )
    choices = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = CustomFieldDefinition
        fields = [
            "id",
            "model",
            "key",
            "label",
            "type",
            "choices",
            "required",
            "default",
            "help_text",
            "order",
            "active",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields
