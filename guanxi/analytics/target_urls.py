"""/analytics/targets/: the sales targets, as the generic list / edit / delete pages."""

from django.urls import path

from guanxi.analytics import views

app_name = "targets"
urlpatterns = [
    path("", views.SalesTargetListView.as_view(), name="list"),
    path("new/", views.SalesTargetEditView.as_view(), name="create"),
    path("<uuid:pk>/edit/", views.SalesTargetEditView.as_view(), name="edit"),
    path("<uuid:pk>/delete/", views.SalesTargetDeleteView.as_view(), name="delete"),
]
