"""The interactions API: CRUD through the services, plus completing a follow-up."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from guanxi.core.api.viewsets import WorkspaceViewSet
from guanxi.core.permissions import Action
from guanxi.interactions.api.serializers import InteractionSerializer, InteractionWriteSerializer
from guanxi.interactions.filtersets import InteractionFilterSet
from guanxi.interactions.selectors import interaction_list
from guanxi.interactions.services import (
    follow_up_complete,
    interaction_create,
    interaction_delete,
    interaction_update,
)


class InteractionViewSet(WorkspaceViewSet):
    """Calls, emails, meetings, chats, visits and notes with customers.

    A contact or a company (or both) is required; with a contact only, the contact's company
    is filled in. `content` is rich text, stored with anything outside a small allowlist of
    tags removed. `follow_up` filters open follow-ups: due, today, overdue, upcoming, done.
    """

    resource = "interactions"
    selector = interaction_list
    read_serializer_class = InteractionSerializer
    write_serializer_class = InteractionWriteSerializer
    create_service = interaction_create
    update_service = interaction_update
    delete_service = interaction_delete
    filterset_class = InteractionFilterSet
    ordering_fields = ["occurred_at", "created_at", "updated_at"]
    action_permissions = {"complete": Action.CHANGE}

    @extend_schema(request=None, responses=InteractionSerializer)
    @action(detail=True, methods=["post"])
    def complete(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Mark the follow-up as done."""
        interaction = self.get_object()
        self.check_if_match(interaction)
        follow_up_complete(interaction=interaction, actor=request.user)
        return self.read_response(self.reload(interaction))
