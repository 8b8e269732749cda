"""Web UI routes of the analytics app: the dashboard and its panels, the drill-down, the targets."""

from django.urls import include, path

from guanxi.analytics import views

app_name = "analytics"
urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("panels/<slug:name>/", views.ReportPanelView.as_view(), name="panel"),
    path("deals/", views.DealsBehindView.as_view(), name="deals"),
    path("targets/", include("guanxi.analytics.target_urls")),
]
