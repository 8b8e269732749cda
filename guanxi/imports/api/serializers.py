"""Read-only representations of import jobs: status, counts and the row-level error report."""

from rest_framework import serializers

from guanxi.core.api.serializers import OwnerSummarySerializer
from guanxi.imports.models import ImportJob


class ImportErrorSerializer(serializers.Serializer):
    row = serializers.IntegerField(help_text="Row number in the file (the header is row 1).")
    column = serializers.CharField(help_text="The column's header; empty for a whole-row error.")
    value = serializers.CharField()
    reason = serializers.CharField()


class ImportJobSerializer(serializers.ModelSerializer):
    created_by = OwnerSummarySerializer(read_only=True, allow_null=True)
    errors = ImportErrorSerializer(many=True, read_only=True)
    mapping = serializers.DictField(child=serializers.CharField(), read_only=True)
    headers = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = ImportJob
        fields = [
            "id",
            "created_at",
            "updated_at",
            "finished_at",
            "created_by",
            "target",
            "original_name",
            "file_format",
            "encoding",
            "headers",
            "mapping",
            "mode",
            "match_on",
            "all_or_nothing",
            "status",
            "progress",
            "row_count",
            "valid_count",
            "invalid_count",
            "created_count",
            "updated_count",
            "skipped_count",
            "failure",
            "errors",
        ]
        read_only_fields = fields
