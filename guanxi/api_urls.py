"""/api/v1/: one router for every app's viewsets, the OpenAPI document and Swagger UI."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from guanxi.audit.api.views import AuditEventViewSet
from guanxi.companies.api.views import CompanyViewSet
from guanxi.contacts.api.views import ContactViewSet

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("companies", CompanyViewSet, basename="company")
router.register("contacts", ContactViewSet, basename="contact")
router.register("audit-events", AuditEventViewSet, basename="auditevent")

urlpatterns = [
    path("", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
]
