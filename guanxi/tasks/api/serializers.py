"""Task API representations."""

from rest_framework import serializers

from guanxi.companies.models import Company
from guanxi.contacts.api.serializers import CompanySummarySerializer
from guanxi.contacts.models import Contact
from guanxi.core.api.serializers import (
    OwnerSummarySerializer,
    WorkspaceRelatedField,
    WorkspaceUserField,
)
from guanxi.interactions.api.serializers import ContactSummarySerializer
from guanxi.leads.models import Lead
from guanxi.opportunities.models import Opportunity
from guanxi.tasks.models import (
    MAX_COMMENT_LENGTH,
    MAX_DESCRIPTION_LENGTH,
    Task,
    TaskComment,
)

PLAIN_FIELDS = [
    "title",
    "kind",
    "description",
    "due_at",
    "priority",
    "status",
    "outcome",
    "remind_minutes_before",
]


class RecordSummarySerializer(serializers.Serializer):
    id = serializers.UUIDField()
    name = serializers.CharField()


class TaskSerializer(serializers.ModelSerializer):
    contact = ContactSummarySerializer(read_only=True, allow_null=True)
    company = CompanySummarySerializer(read_only=True, allow_null=True)
    opportunity = RecordSummarySerializer(read_only=True, allow_null=True)
    lead = RecordSummarySerializer(read_only=True, allow_null=True)
    owner = OwnerSummarySerializer(read_only=True, allow_null=True)
    is_overdue = serializers.BooleanField(read_only=True)

    class Meta:
        # read-only by use: writes go through TaskWriteSerializer
        model = Task
        fields = [
            "id",
            *PLAIN_FIELDS,
            "contact",
            "company",
            "opportunity",
            "lead",
            "owner",
            "is_overdue",
            "completed_at",
            "remind_at",
            "reminded_at",
            "created_at",
            "updated_at",
        ]


class TaskWriteSerializer(serializers.ModelSerializer):
    contact = WorkspaceRelatedField(Contact, required=False, allow_null=True)
    company = WorkspaceRelatedField(Company, required=False, allow_null=True)
    opportunity = WorkspaceRelatedField(Opportunity, required=False, allow_null=True)
    lead = WorkspaceRelatedField(Lead, required=False, allow_null=True)
    owner = WorkspaceUserField(required=False, allow_null=True)
    description = serializers.CharField(
        required=False, allow_blank=True, max_length=MAX_DESCRIPTION_LENGTH
    )
    outcome = serializers.CharField(
        required=False, allow_blank=True, max_length=MAX_DESCRIPTION_LENGTH
    )
    assign_by_rules = serializers.BooleanField(
        required=False,
        write_only=True,
        help_text="On create: let the workspace's task assignment rules choose the owner.",
    )

    class Meta:
        model = Task
        fields = [
            *PLAIN_FIELDS,
            "contact",
            "company",
            "opportunity",
            "lead",
            "owner",
            "assign_by_rules",
        ]

    def validate(self, attrs):
        # rules route new tasks only; on update the flag means nothing
        if self.instance is not None:
            attrs.pop("assign_by_rules", None)
        return attrs


class CompleteSerializer(serializers.Serializer):
    outcome = serializers.CharField(
        required=False, allow_blank=True, max_length=MAX_DESCRIPTION_LENGTH
    )


class CommentSerializer(serializers.ModelSerializer):
    author = OwnerSummarySerializer(read_only=True, allow_null=True)
    mentioned = OwnerSummarySerializer(many=True, read_only=True)

    class Meta:
        model = TaskComment
        fields = ["id", "body", "author", "mentioned", "created_at"]


class CommentWriteSerializer(serializers.Serializer):
    body = serializers.CharField(max_length=MAX_COMMENT_LENGTH)


class MetricRowSerializer(serializers.Serializer):
    key = serializers.UUIDField(allow_null=True, help_text="User id or team id; null: none.")
    label = serializers.CharField()
    due = serializers.IntegerField()
    done = serializers.IntegerField()
    on_time = serializers.IntegerField()
    completion_rate = serializers.DecimalField(
        max_digits=5, decimal_places=1, allow_null=True, coerce_to_string=False
    )
    on_time_rate = serializers.DecimalField(
        max_digits=5, decimal_places=1, allow_null=True, coerce_to_string=False
    )
    average_handling_hours = serializers.DecimalField(
        max_digits=12, decimal_places=1, allow_null=True, coerce_to_string=False
    )


class MetricsSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()
    group_by = serializers.ChoiceField(choices=["owner", "team"])
    rows = MetricRowSerializer(many=True)
    total = MetricRowSerializer()
