"""API representations of the reports (the same figures the dashboard shows) and of targets.

Money and percentages are decimal strings, exact as computed; a missing ratio is null.
"""

from __future__ import annotations

from rest_framework import serializers

from guanxi.analytics.models import SalesTarget
from guanxi.core.api.serializers import (
    OwnerSummarySerializer,
    WorkspaceRelatedField,
    WorkspaceUserField,
)
from guanxi.workspaces.models import Team

MONEY = {"max_digits": 16, "decimal_places": 2}
RATE = {"max_digits": 6, "decimal_places": 1, "allow_null": True}


class PeriodSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()


class FunnelStageSerializer(serializers.Serializer):
    stage_id = serializers.UUIDField(source="stage.pk")
    name = serializers.CharField(source="stage.name")
    count = serializers.IntegerField(
        help_text="Deals created in the period whose furthest stage is this one or a later one."
    )
    conversion = serializers.DecimalField(
        **RATE, help_text="count ÷ the previous stage's count, in %, one decimal (half up)."
    )


class FunnelSerializer(serializers.Serializer):
    period = PeriodSerializer()
    pipeline_id = serializers.UUIDField(source="pipeline.pk", allow_null=True)
    overall_conversion = serializers.DecimalField(source="overall", **RATE)
    stages = FunnelStageSerializer(many=True)


class ValueRowSerializer(serializers.Serializer):
    key = serializers.CharField(allow_null=True, help_text="Stage, owner or team id.")
    label = serializers.CharField()
    count = serializers.IntegerField()
    amount = serializers.DecimalField(**MONEY)
    weighted = serializers.DecimalField(**MONEY, help_text="Σ(amount × probability ÷ 100).")


class PipelineValueSerializer(serializers.Serializer):
    count = serializers.IntegerField(source="total.count")
    amount = serializers.DecimalField(source="total.amount", **MONEY)
    weighted = serializers.DecimalField(source="total.weighted", **MONEY)
    group_by = serializers.CharField()
    by_stage = ValueRowSerializer(many=True)
    by_group = ValueRowSerializer(many=True)


class ForecastRowSerializer(serializers.Serializer):
    month = serializers.DateField()
    key = serializers.CharField(allow_null=True, help_text="Owner or team id when grouped.")
    label = serializers.CharField()
    won = serializers.DecimalField(**MONEY)
    open_count = serializers.IntegerField()
    open_amount = serializers.DecimalField(**MONEY)
    weighted = serializers.DecimalField(**MONEY)
    forecast = serializers.DecimalField(**MONEY)
    target = serializers.DecimalField(**MONEY, allow_null=True)
    attainment = serializers.DecimalField(**RATE, help_text="won ÷ target, in %.")
    forecast_attainment = serializers.DecimalField(**RATE, help_text="forecast ÷ target, in %.")


class ForecastSerializer(serializers.Serializer):
    period = PeriodSerializer()
    group_by = serializers.CharField()
    rows = ForecastRowSerializer(many=True)
    totals = ForecastRowSerializer()


class EfficiencyRowSerializer(serializers.Serializer):
    owner_id = serializers.UUIDField()
    label = serializers.CharField()
    total = serializers.IntegerField()
    won = serializers.IntegerField()
    avg_days_to_close = serializers.DecimalField(max_digits=8, decimal_places=1, allow_null=True)
    index = serializers.DecimalField(
        max_digits=4, decimal_places=2, allow_null=True, help_text="won ÷ total."
    )


class EfficiencySerializer(serializers.Serializer):
    period = PeriodSerializer()
    rows = EfficiencyRowSerializer(many=True)


# --- targets -------------------------------------------------------------------------------
class TeamSummarySerializer(serializers.Serializer):
    id = serializers.UUIDField()
    name = serializers.CharField()


class SalesTargetSerializer(serializers.ModelSerializer):
    user = OwnerSummarySerializer(read_only=True, allow_null=True)
    team = TeamSummarySerializer(read_only=True, allow_null=True)

    class Meta:
        model = SalesTarget
        fields = ["id", "user", "team", "month", "amount", "created_at", "updated_at"]
        read_only_fields = fields


class SalesTargetWriteSerializer(serializers.ModelSerializer):
    user = WorkspaceUserField(required=False, allow_null=True)
    team = WorkspaceRelatedField(Team, required=False, allow_null=True)

    class Meta:
        model = SalesTarget
        fields = ["user", "team", "month", "amount"]
        extra_kwargs = {"month": {"help_text": "Any day of the month; stored as the 1st."}}
