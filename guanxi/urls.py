"""Root routes: web UI per app, the REST API under /api/v1/, health, admin, language switch."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from guanxi.core.health import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("api/v1/", include(("guanxi.api_urls", "api"), namespace="api")),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("guanxi.users.urls")),
    path("companies/", include("guanxi.companies.urls")),
    path("contacts/", include("guanxi.contacts.urls")),
    path("audit/", include("guanxi.audit.urls")),
    path("interactions/", include("guanxi.interactions.urls")),
    path("notifications/", include("guanxi.notifications.urls")),
    path("members/", include("guanxi.members.urls")),
    path("custom-fields/", include("guanxi.customfields.urls")),
    path("data/", include("guanxi.imports.urls")),
    path("quality/", include("guanxi.quality.urls")),
    path("assignment/", include("guanxi.assignment.urls")),
    path("leads/", include("guanxi.leads.urls")),
    # the public web-to-lead form (no login)
    path("f/", include("guanxi.leads.public_urls")),
    path("opportunities/", include("guanxi.opportunities.urls")),
    path("tasks/", include("guanxi.tasks.urls")),
    path("analytics/", include("guanxi.analytics.urls")),
    path("", include("guanxi.workspaces.urls")),
]

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
