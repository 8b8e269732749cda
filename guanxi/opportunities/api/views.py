"""The pipelines (read, with stages) and opportunities (CRUD + move / won / lost) API."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from guanxi.core.api.viewsets import WorkspaceReadOnlyViewSet, WorkspaceViewSet
from guanxi.core.permissions import Action
from guanxi.opportunities.api.serializers import (
    LostSerializer,
    MoveSerializer,
    OpportunitySerializer,
    OpportunityWriteSerializer,
    PipelineSerializer,
)
from guanxi.opportunities.filtersets import OpportunityFilterSet
from guanxi.opportunities.selectors import opportunity_list, pipeline_list
from guanxi.opportunities.services import (
    opportunity_create,
    opportunity_delete,
    opportunity_mark_lost,
    opportunity_mark_won,
    opportunity_move,
    opportunity_update,
)


class PipelineViewSet(WorkspaceReadOnlyViewSet):
    """Pipelines with their ordered stages and stage gates (configured by admins in the UI)."""

    resource = "pipelines"
    selector = pipeline_list
    read_serializer_class = PipelineSerializer
    ordering_fields = ["order", "name", "created_at"]
    ordering = ["order", "id"]


class OpportunityViewSet(WorkspaceViewSet):
    """Deals. `POST …/{id}/move/` moves one to another stage of its pipeline; a stage gate's
    refusal is a 400 whose `fields.stage` gives the reason."""

    resource = "opportunities"
    selector = opportunity_list
    read_serializer_class = OpportunitySerializer
    write_serializer_class = OpportunityWriteSerializer
    create_service = opportunity_create
    update_service = opportunity_update
    delete_service = opportunity_delete
    filterset_class = OpportunityFilterSet
    ordering_fields = ["name", "amount", "created_at", "updated_at"]
    action_permissions = {"move": Action.CHANGE, "won": Action.CHANGE, "lost": Action.CHANGE}

    def filter_scoped_queryset(self, queryset):
        return queryset.prefetch_related("contact_roles__contact")

    def get_serializer_class(self) -> type:
        return {"move": MoveSerializer, "lost": LostSerializer}.get(
            self.action, super().get_serializer_class()
        )

    def writable_object(self):
        instance = self.get_object()
        self.check_if_match(instance)
        return instance

    @extend_schema(request=MoveSerializer, responses=OpportunitySerializer)
    @action(detail=True, methods=["post"])
    def move(self, request: Request, pk: str | None = None, **kwargs: object) -> Response:
        instance = self.writable_object()
        serializer = MoveSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        opportunity_move(opportunity=instance, actor=request.user, **serializer.validated_data)
        return self.read_response(self.reload(instance))

    @extend_schema(request=None, responses=OpportunitySerializer)
    @action(detail=True, methods=["post"])
    def won(self, request: Request, pk: str | None = None, **kwargs: object) -> Response:
        instance = self.writable_object()
        opportunity_mark_won(opportunity=instance, actor=request.user)
        return self.read_response(self.reload(instance))

    @extend_schema(request=LostSerializer, responses=OpportunitySerializer)
    @action(detail=True, methods=["post"])
    def lost(self, request: Request, pk: str | None = None, **kwargs: object) -> Response:
        instance = self.writable_object()
        serializer = LostSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        opportunity_mark_lost(opportunity=instance, actor=request.user, **serializer.validated_data)
        return self.read_response(self.reload(instance))
