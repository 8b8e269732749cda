"""The tasks API: CRUD through the services, completing, comments, and the metrics."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Model
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from guanxi.core.api.viewsets import WorkspaceViewSet
from guanxi.core.permissions import Action
from guanxi.tasks.api.serializers import (
    CommentSerializer,
    CommentWriteSerializer,
    CompleteSerializer,
    MetricsSerializer,
    TaskSerializer,
    TaskWriteSerializer,
)
from guanxi.tasks.filtersets import TaskFilterSet
from guanxi.tasks.metrics import task_metrics
from guanxi.tasks.selectors import comment_list, task_list
from guanxi.tasks.services import (
    comment_create,
    task_complete,
    task_create,
    task_delete,
    task_update,
)
from guanxi.tasks.views import MetricsPeriodForm, metrics_period


class TaskViewSet(WorkspaceViewSet):
    """To-dos, calls and meetings with an assignee (`owner`), due time, priority and status.

    Done and cancelled tasks are archived: lists leave them out unless `status` names them or
    `include_closed=true`. `overdue=true` lists open tasks past their due time; `linked_type`
    is contact, company, opportunity or none. `remind_minutes_before` sends the assignee a
    notification that long before `due_at`. `assign_by_rules=true` on create lets the
    workspace's task assignment rules choose the owner.
    """

    resource = "tasks"
    selector = task_list
    read_serializer_class = TaskSerializer
    write_serializer_class = TaskWriteSerializer
    create_service = task_create
    update_service = task_update
    delete_service = task_delete
    filterset_class = TaskFilterSet
    ordering_fields = ["due_at", "priority", "created_at", "updated_at"]
    action_permissions = {
        "complete": Action.CHANGE,
        "comments": Action.VIEW,
        "add_comment": Action.ADD,
        "metrics": Action.VIEW,
    }

    def within_write_scope(self, obj: Model) -> bool:
        # whoever sees a task (and may add tasks) may comment on it, not only its assignee
        if self.action == "add_comment":
            return True
        return super().within_write_scope(obj)

    @extend_schema(request=CompleteSerializer, responses=TaskSerializer)
    @action(detail=True, methods=["post"])
    def complete(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Mark the task as done, optionally with its outcome; done tasks stay as they are."""
        task = self.get_object()
        self.check_if_match(task)
        serializer = CompleteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        task_complete(
            task=task, actor=request.user, outcome=serializer.validated_data.get("outcome", "")
        )
        return self.read_response(self.reload(task))

    @extend_schema(request=None, responses=CommentSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None, filterset_class=None)
    def comments(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """The task's comments, oldest first, with the members each one mentions."""
        task = self.get_object()
        comments = comment_list(task=task).prefetch_related("mentioned")
        return Response(CommentSerializer(comments, many=True).data)

    @extend_schema(request=CommentWriteSerializer, responses={201: CommentSerializer})
    @comments.mapping.post
    def add_comment(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Comment; `@username` or `@display name` of members notifies each of them once."""
        task = self.get_object()
        serializer = CommentWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        comment = comment_create(
            task=task, actor=request.user, body=serializer.validated_data["body"]
        )
        comment = comment_list(task=task).prefetch_related("mentioned").get(pk=comment.pk)
        return Response(CommentSerializer(comment).data, status=201)

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "start", OpenApiTypes.DATE, description="First day (default: 1st of this month)."
            ),
            OpenApiParameter(
                "end", OpenApiTypes.DATE, description="Last day (default: end of this month)."
            ),
            OpenApiParameter("group_by", OpenApiTypes.STR, enum=["owner", "team"]),
        ],
        responses=MetricsSerializer,
    )
    @action(detail=False, methods=["get"], pagination_class=None, filterset_class=None)
    def metrics(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Completion rate, on-time rate and average handling time per assignee or team, of the
        tasks due in the period that the caller may see (the same figures as the metrics page)."""
        membership = request.membership
        zone = ZoneInfo(membership.workspace.time_zone)
        today = timezone.now().astimezone(zone).date()
        form = MetricsPeriodForm(request.query_params or None)
        if request.query_params and not form.is_valid():
            raise exceptions.ValidationError(form.errors.get_json_data())
        start, end, group_by, _form = metrics_period(request.query_params, today)
        rows, total = task_metrics(
            membership=membership, start=start, end=end, zone=zone, group_by=group_by
        )
        data = {"start": start, "end": end, "group_by": group_by, "rows": rows, "total": total}
        return Response(MetricsSerializer(data).data)
