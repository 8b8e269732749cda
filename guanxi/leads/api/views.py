"""The leads API: CRUD through the services, plus `convert` and `assign` actions."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from guanxi.core.api.viewsets import WorkspaceViewSet
from guanxi.core.permissions import Action
from guanxi.leads.api.serializers import (
    LeadAssignSerializer,
    LeadConvertSerializer,
    LeadSerializer,
    LeadWriteSerializer,
)
from guanxi.leads.filtersets import LeadFilterSet
from guanxi.leads.selectors import lead_list
from guanxi.leads.services import lead_assign, lead_convert, lead_create, lead_delete, lead_update


class LeadViewSet(WorkspaceViewSet):
    """Leads. `search` finds exact mobile, exact email, or part of the name or company name.

    A lead whose mobile or email belongs to an existing contact is linked to it
    (`matched_contact`). The score (0–100) and `score_breakdown` come from the workspace's
    scoring model; a converted lead is read-only (writes are a 400 with code `read_only`).
    """

    resource = "leads"
    selector = lead_list
    read_serializer_class = LeadSerializer
    write_serializer_class = LeadWriteSerializer
    create_service = lead_create
    update_service = lead_update
    delete_service = lead_delete
    filterset_class = LeadFilterSet
    ordering_fields = ["name", "score", "created_at", "updated_at"]
    action_permissions = {"convert": Action.CHANGE, "assign": Action.CHANGE}

    @extend_schema(request=LeadConvertSerializer, responses=LeadSerializer)
    @action(detail=True, methods=["post"])
    def convert(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Create or link company + contact + opportunity in one transaction; keeps lineage."""
        lead = self.get_object()
        self.check_if_match(lead)
        body = LeadConvertSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        converted = lead_convert(lead=lead, actor=request.user, **body.validated_data)
        return self.read_response(self.reload(converted))

    @extend_schema(request=LeadAssignSerializer, responses=LeadSerializer)
    @action(detail=True, methods=["post"])
    def assign(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Give the lead to `owner`, or to whom the first matching assignment rule picks."""
        lead = self.get_object()
        self.check_if_match(lead)
        body = LeadAssignSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        lead_assign(lead=lead, actor=request.user, owner=body.validated_data.get("owner"))
        return self.read_response(self.reload(lead))
