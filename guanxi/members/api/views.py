"""The members API: members (enrol, edit, ledger, redeem, adjust) and transactions
(list, read, record with an Idempotency-Key)."""

from __future__ import annotations

from typing import Any

from django.db.models import Model
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, mixins, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.viewsets import GenericViewSet

from guanxi.core.api.schema import ErrorSerializer
from guanxi.core.api.viewsets import WorkspaceScopedMixin, WorkspaceViewSet
from guanxi.core.permissions import Action
from guanxi.members.api.serializers import (
    AdjustSerializer,
    MemberSerializer,
    MemberWriteSerializer,
    PointsEntrySerializer,
    RedeemSerializer,
    TransactionSerializer,
    TransactionWriteSerializer,
)
from guanxi.members.filtersets import MemberFilterSet, TransactionFilterSet
from guanxi.members.ledger import points_adjust, points_redeem
from guanxi.members.permissions import ADJUST_POINTS
from guanxi.members.selectors import member_list, points_entry_list, transaction_list
from guanxi.members.services import (
    IdempotencyConflict,
    member_delete,
    member_enrol,
    member_update,
    transaction_record_once,
)

MAX_IDEMPOTENCY_KEY = 200


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "idempotency_conflict"


class MemberViewSet(WorkspaceViewSet):
    """Members (会员). Level, points and totals are read-only: they follow transactions."""

    resource = "members"
    selector = member_list
    read_serializer_class = MemberSerializer
    write_serializer_class = MemberWriteSerializer
    create_service = member_enrol
    update_service = member_update
    delete_service = member_delete
    filterset_class = MemberFilterSet
    ordering_fields = ["created_at", "total_consumption", "points_balance"]
    action_permissions = {"ledger": Action.VIEW, "redeem": Action.CHANGE, "adjust": ADJUST_POINTS}

    def within_write_scope(self, obj: Model) -> bool:
        """A member is changed by whoever may change it under the contact's owner."""
        if self.permission_action == Action.VIEW:
            return True
        return (
            member_list(membership=self.request.membership, action=self.permission_action)
            .filter(pk=obj.pk)
            .exists()
        )

    @extend_schema(responses=PointsEntrySerializer(many=True))
    @action(detail=True, methods=["get"])
    def ledger(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """The member's points ledger, newest first."""
        member = self.get_object()
        page = self.paginate_queryset(points_entry_list(member=member))
        return self.get_paginated_response(PointsEntrySerializer(page, many=True).data)

    @extend_schema(request=RedeemSerializer, responses=MemberSerializer)
    @action(detail=True, methods=["post"])
    def redeem(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Spend points; more than the balance is refused (400, code insufficient_points)."""
        member = self.get_object()
        serializer = RedeemSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        points_redeem(member=member, actor=request.user, **serializer.validated_data)
        return self.read_response(self.reload(member))

    @extend_schema(request=AdjustSerializer, responses=MemberSerializer)
    @action(detail=True, methods=["post"])
    def adjust(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Add or take points by hand with a reason (administrators and managers)."""
        member = self.get_object()
        serializer = AdjustSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        points_adjust(member=member, actor=request.user, **serializer.validated_data)
        return self.read_response(self.reload(member))


class TransactionViewSet(
    WorkspaceScopedMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, GenericViewSet
):
    """Purchases and returns of members (交易记录). Recorded once, never edited: a return
    corrects a purchase."""

    resource = "members"
    selector = transaction_list
    read_serializer_class = TransactionSerializer
    filterset_class = TransactionFilterSet
    ordering_fields = ["created_at", "occurred_on", "amount"]

    def get_serializer_class(self) -> type:
        return TransactionWriteSerializer if self.action == "create" else TransactionSerializer

    @extend_schema(
        request=TransactionWriteSerializer,
        parameters=[
            OpenApiParameter(
                "Idempotency-Key",
                OpenApiTypes.STR,
                OpenApiParameter.HEADER,
                description=(
                    "Any unique text (≤ 200 characters). Repeating a request with the same key "
                    "and body returns the first transaction with 200 instead of recording it "
                    "again; the same key with a different body is a 409."
                ),
            )
        ],
        responses={
            201: TransactionSerializer,
            200: OpenApiResponse(TransactionSerializer, description="A repeated request."),
            409: ErrorSerializer,
        },
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Record a transaction; the member's totals, level and points follow at once."""
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        key = request.headers.get("Idempotency-Key", "").strip()
        if len(key) > MAX_IDEMPOTENCY_KEY:
            raise exceptions.ValidationError({"Idempotency-Key": [_("At most 200 characters.")]})
        try:
            record, created = transaction_record_once(
                workspace=request.workspace,
                actor=request.user,
                idempotency_key=key or None,
                **serializer.validated_data,
            )
        except IdempotencyConflict as exc:
            raise Conflict(exc.message) from exc
        data = TransactionSerializer(record, context=self.get_serializer_context()).data
        return Response(data, status=201 if created else 200)
