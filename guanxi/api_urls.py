"""/api/v1/: one router for every app's viewsets, the OpenAPI document and Swagger UI."""

from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update
from django.http import HttpRequest, JsonResponse
from django.urls import include, path, re_path
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from guanxi.analytics.api.views import AnalyticsViewSet, SalesTargetViewSet
from guanxi.audit.api.views import AuditEventViewSet
from guanxi.companies.api.views import CompanyViewSet
from guanxi.contacts.api.views import ContactViewSet
from guanxi.core.api.errors import error_body
from guanxi.customfields.api.views import CustomFieldDefinitionViewSet
from guanxi.imports.api.views import ImportJobViewSet
from guanxi.interactions.api.views import InteractionViewSet
from guanxi.leads.api.views import LeadViewSet
from guanxi.members.api.views import MemberViewSet, TransactionViewSet
from guanxi.notifications.api.views import NotificationViewSet
from guanxi.opportunities.api.views import OpportunityViewSet, PipelineViewSet
from guanxi.quality.api.views import DuplicateCandidateViewSet
from guanxi.tasks.api.views import TaskViewSet


@csrf_exempt  # it changes nothing; a CSRF 403 would hide the 404
def not_found(request: HttpRequest) -> JsonResponse:
    return JsonResponse(error_body(404, "not_found", _("Not found.")), status=404)


router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("companies", CompanyViewSet, basename="company")
router.register("contacts", ContactViewSet, basename="contact")
router.register("audit-events", AuditEventViewSet, basename="auditevent")
router.register("imports", ImportJobViewSet, basename="importjob")
router.register("custom-fields", CustomFieldDefinitionViewSet, basename="customfield")
router.register("interactions", InteractionViewSet, basename="interaction")
router.register("members", MemberViewSet, basename="member")
router.register("transactions", TransactionViewSet, basename="transaction")
router.register("notifications", NotificationViewSet, basename="notification")
router.register("duplicates", DuplicateCandidateViewSet, basename="duplicatecandidate")
router.register("analytics", AnalyticsViewSet, basename="analytics")
router.register("sales-targets", SalesTargetViewSet, basename="salestarget")
router.register("leads", LeadViewSet, basename="lead")
router.register("pipelines", PipelineViewSet, basename="pipeline")
router.register("opportunities", OpportunityViewSet, basename="opportunity")
router.register("tasks", TaskViewSet, basename="task")

urlpatterns = [
    path("", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # the split view serves Swagger UI's start-up code as a script file (our CSP forbids
    # inline scripts); the UI still injects <style> elements, allowed on this page only
    path(
        "docs/",
        csp_update({"style-src": [UNSAFE_INLINE]})(
            SpectacularSwaggerSplitView.as_view(url_name="api:schema")
        ),
        name="docs",
    ),
    # anything else under /api/v1/ is a 404 in the API's error format, not an HTML page
    re_path(r"^.*$", not_found, name="not_found"),
]
