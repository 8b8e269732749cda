"""/api/v1/analytics/…: the dashboard's reports as JSON (same code, same figures), and
/api/v1/sales-targets/: the targets they are measured against."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from guanxi.analytics import reports
from guanxi.analytics.api.serializers import (
    EfficiencySerializer,
    ForecastSerializer,
    FunnelSerializer,
    PipelineValueSerializer,
    SalesTargetSerializer,
    SalesTargetWriteSerializer,
)
from guanxi.analytics.filters import ReportFilterForm, ReportParams
from guanxi.analytics.filtersets import SalesTargetFilterSet
from guanxi.analytics.selectors import sales_target_list
from guanxi.analytics.services import (
    sales_target_create,
    sales_target_delete,
    sales_target_update,
)
from guanxi.core.api.viewsets import WorkspaceScopedMixin, WorkspaceViewSet
from guanxi.core.permissions import Action
from guanxi.opportunities.choices import OpportunitySource

REPORT_PARAMETERS = [
    OpenApiParameter(
        "start",
        OpenApiTypes.DATE,
        description="First day of the period (YYYY-MM-DD); default 1 January this year.",
    ),
    OpenApiParameter(
        "end",
        OpenApiTypes.DATE,
        description="Last day of the period (YYYY-MM-DD); default 31 December this year. At most five years.",
    ),
    OpenApiParameter(
        "pipeline",
        OpenApiTypes.UUID,
        description="Pipeline id (the funnel defaults to the default pipeline).",
    ),
    OpenApiParameter("owner", OpenApiTypes.UUID, description="Owner (user) id."),
    OpenApiParameter("team", OpenApiTypes.UUID, description="Team id: deals owned by its members."),
    OpenApiParameter("source", str, enum=OpportunitySource.values, description="Deal source."),
]
GROUP_BY_PARAMETER = OpenApiParameter(
    "group_by", str, enum=["owner", "team"], description="Rows per owner or per team."
)


class AnalyticsViewSet(WorkspaceScopedMixin, viewsets.GenericViewSet):
    """Sales reports over the deals the caller may read (the opportunities read scope)."""

    resource = "analytics"
    selector = sales_target_list
    action_permissions = {
        "funnel": Action.VIEW,
        "pipeline_value": Action.VIEW,
        "forecast": Action.VIEW,
        "efficiency": Action.VIEW,
    }
    filter_backends: list = []
    pagination_class = None

    def report_params(self, request: Request) -> ReportParams:
        form = ReportFilterForm(request.query_params, workspace=request.workspace)
        if not form.is_valid():
            raise ValidationError(dict(form.errors))
        return form.params()

    @extend_schema(parameters=REPORT_PARAMETERS, responses=FunnelSerializer)
    @action(detail=False, methods=["get"])
    def funnel(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Deals created in the period by the furthest stage each reached, with the conversions."""
        params = self.report_params(request)
        report = reports.funnel_report(request.membership, params)
        return Response(
            FunnelSerializer({"period": params, **report.__dict__, "overall": report.overall}).data
        )

    @extend_schema(
        parameters=[*REPORT_PARAMETERS, GROUP_BY_PARAMETER], responses=PipelineValueSerializer
    )
    @action(detail=False, methods=["get"], url_path="pipeline-value")
    def pipeline_value(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Σ amount and Σ(amount × probability) of the open deals: total, per stage, per owner or team."""
        params = self.report_params(request)
        report = reports.pipeline_value_report(request.membership, params)
        return Response(PipelineValueSerializer(report).data)

    @extend_schema(
        parameters=[*REPORT_PARAMETERS, GROUP_BY_PARAMETER], responses=ForecastSerializer
    )
    @action(detail=False, methods=["get"])
    def forecast(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Per month: won, open and weighted open amount, forecast, target and attainment."""
        params = self.report_params(request)
        report = reports.forecast_report(request.membership, params)
        data = {
            "period": params,
            "group_by": report.group_by,
            "rows": report.rows,
            "totals": report.totals,
        }
        return Response(ForecastSerializer(data).data)

    @extend_schema(parameters=REPORT_PARAMETERS, responses=EfficiencySerializer)
    @action(detail=False, methods=["get"])
    def efficiency(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Per owner, deals created in the period: total, won, average days to close, won ÷ total."""
        params = self.report_params(request)
        rows = reports.efficiency_report(request.membership, params)
        return Response(EfficiencySerializer({"period": params, "rows": rows}).data)


class SalesTargetViewSet(WorkspaceViewSet):
    """Monthly sales targets per user or per team (admins and managers set them)."""

    resource = "sales_targets"
    selector = sales_target_list
    read_serializer_class = SalesTargetSerializer
    write_serializer_class = SalesTargetWriteSerializer
    create_service = sales_target_create
    update_service = sales_target_update
    delete_service = sales_target_delete
    filterset_class = SalesTargetFilterSet
    ordering_fields = ["month", "amount", "created_at"]
