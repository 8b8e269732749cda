"""The notifications API: the caller's own notifications; mark one or all read."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from guanxi.core.api.viewsets import WorkspaceReadOnlyViewSet
from guanxi.core.permissions import Action
from guanxi.notifications.api.serializers import MarkedReadSerializer, NotificationSerializer
from guanxi.notifications.selectors import notification_list
from guanxi.notifications.services import notification_mark_read, notifications_mark_all_read

UNREAD_PARAMETER = OpenApiParameter(
    "unread", bool, description="Only notifications not read yet (`true`)."
)


@extend_schema_view(list=extend_schema(parameters=[UNREAD_PARAMETER]))
class NotificationViewSet(WorkspaceReadOnlyViewSet):
    """The caller's notifications in this workspace, newest first. `unread=true` lists unread only."""

    resource = "notifications"
    selector = notification_list
    read_serializer_class = NotificationSerializer
    action_permissions = {"read": Action.CHANGE, "read_all": Action.CHANGE}
    ordering_fields = ["created_at"]

    def filter_scoped_queryset(self, queryset):
        if self.request.query_params.get("unread") in ("true", "1"):
            return queryset.filter(read_at__isnull=True)
        return queryset

    @extend_schema(request=None, responses=NotificationSerializer)
    @action(detail=True, methods=["post"])
    def read(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Mark this notification read (again is fine)."""
        notification = self.get_object()
        notification_mark_read(notification=notification, actor=request.user)
        return Response(self.get_serializer(notification).data)

    @extend_schema(request=None, responses=MarkedReadSerializer)
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Mark every unread notification of the caller in this workspace read."""
        count = notifications_mark_all_read(membership=request.membership)
        return Response({"marked_read": count})
