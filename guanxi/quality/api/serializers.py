"""API shapes of the quality app: candidate pairs, merge and scan requests."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from guanxi.quality.choices import RecordType
from guanxi.quality.models import DuplicateCandidate

MAX_MERGE_DUPLICATES = 4


class DuplicateCandidateSerializer(serializers.ModelSerializer):
    class Meta:
        model = DuplicateCandidate
        fields = ["id", "record_type", "a_id", "b_id", "score", "reasons", "status", "created_at"]
        read_only_fields = fields


class MergeRequestSerializer(serializers.Serializer):
    record_type = serializers.ChoiceField(choices=RecordType.choices)
    survivor = serializers.UUIDField()
    duplicates = serializers.ListField(
        child=serializers.UUIDField(), min_length=1, max_length=MAX_MERGE_DUPLICATES
    )
    field_choices = serializers.DictField(
        child=serializers.UUIDField(),
        required=False,
        default=dict,
        help_text=_('Field name or "custom_fields.<key>" → id of the record whose value wins.'),
    )


class MergeResultSerializer(serializers.Serializer):
    survivor = serializers.UUIDField()
    merged = serializers.ListField(child=serializers.UUIDField())


class ScanRequestSerializer(serializers.Serializer):
    record_type = serializers.ChoiceField(choices=RecordType.choices)
