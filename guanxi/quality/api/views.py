"""The quality API: duplicate candidates (list, dismiss), merge, and starting a scan."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from guanxi.core.api.viewsets import WorkspaceReadOnlyViewSet
from guanxi.core.permissions import Action, role_can
from guanxi.quality.api.serializers import (
    DuplicateCandidateSerializer,
    MergeRequestSerializer,
    MergeResultSerializer,
    ScanRequestSerializer,
)
from guanxi.quality.choices import CandidateStatus, RecordType
from guanxi.quality.models import DuplicateCandidate
from guanxi.quality.selectors import RESOURCE_OF, records_of
from guanxi.quality.services import candidate_dismiss, records_merge
from guanxi.quality.tasks import duplicate_scan_task
from guanxi.workspaces.models import Membership


def candidate_api_list(*, membership: Membership, action: str = Action.VIEW) -> QuerySet:
    """Candidates of both record types where the member may see both records."""
    visible = Q()
    for record_type in RecordType.values:
        ids = records_of(membership=membership, record_type=record_type).order_by().values("pk")
        visible |= Q(record_type=record_type, a_id__in=ids, b_id__in=ids)
    return DuplicateCandidate.objects.filter(workspace=membership.workspace).filter(visible)


class DuplicateCandidateFilterSet(filters.FilterSet):
    record_type = filters.ChoiceFilter(choices=RecordType.choices)
    status = filters.ChoiceFilter(choices=CandidateStatus.choices)

    class Meta:
        model = DuplicateCandidate
        fields = ["record_type", "status"]


class DuplicateCandidateViewSet(WorkspaceReadOnlyViewSet):
    """Possible duplicate pairs (best score first); dismiss a pair, merge records, start a scan."""

    resource = "quality"
    selector = candidate_api_list
    read_serializer_class = DuplicateCandidateSerializer
    filterset_class = DuplicateCandidateFilterSet
    ordering_fields = ["score", "created_at"]
    ordering = ["-score", "-id"]
    action_permissions = {"dismiss": Action.CHANGE, "merge": Action.CHANGE, "scan": Action.CHANGE}

    @extend_schema(request=None, responses=DuplicateCandidateSerializer)
    @action(detail=True, methods=["post"])
    def dismiss(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Not a duplicate: later scans keep the pair dismissed."""
        candidate = candidate_dismiss(candidate=self.get_object(), actor=request.user)
        return Response(DuplicateCandidateSerializer(candidate).data)

    @extend_schema(request=MergeRequestSerializer, responses=MergeResultSerializer)
    @action(detail=False, methods=["post"])
    def merge(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Merge `duplicates` into `survivor` (needs delete rights on those records)."""
        serializer = MergeRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        record_type = data["record_type"]
        if not role_can(request.membership.role, RESOURCE_OF[record_type], Action.DELETE):
            raise exceptions.PermissionDenied()
        ids = [data["survivor"], *data["duplicates"]]
        found = {
            r.pk: r
            for r in records_of(
                membership=request.membership, record_type=record_type, action=Action.DELETE
            ).filter(pk__in=ids)
        }
        missing = [str(pk) for pk in ids if pk not in found]
        if missing:
            raise exceptions.ValidationError(
                {"duplicates": [_("Unknown records: %(ids)s.") % {"ids": ", ".join(missing)}]}
            )
        survivor = records_merge(
            workspace=request.workspace,
            survivor=found[data["survivor"]],
            duplicates=[found[pk] for pk in data["duplicates"]],
            field_choices=data["field_choices"],
            actor=request.user,
        )
        result = {"survivor": survivor.pk, "merged": data["duplicates"]}
        return Response(MergeResultSerializer(result).data)

    @extend_schema(request=ScanRequestSerializer, responses={202: None})
    @action(detail=False, methods=["post"])
    def scan(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Start a workspace-wide duplicate scan (a background job)."""
        serializer = ScanRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        workspace_id = str(request.workspace.pk)
        record_type = str(serializer.validated_data["record_type"])
        transaction.on_commit(lambda: duplicate_scan_task(workspace_id, record_type))
        return Response(status=202)
