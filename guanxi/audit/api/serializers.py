from rest_framework import serializers

from guanxi.audit.models import AuditEvent
from guanxi.core.api.serializers import OwnerSummarySerializer


class AuditEventSerializer(serializers.ModelSerializer):
    actor = OwnerSummarySerializer(read_only=True, allow_null=True)
    changes = serializers.DictField(child=serializers.ListField(allow_null=True), read_only=True)

    class Meta:
        model = AuditEvent
        fields = [
            "id",
            "created_at",
            "actor",
            "source",
            "action",
            "object_type",
            "object_id",
            "object_repr",
            "changes",
            "request_id",
            "ip",
        ]
        read_only_fields = fields
