"""Web UI routes of the interactions app."""

from django.urls import path

from guanxi.interactions import views

app_name = "interactions"
urlpatterns = [
    path("", views.InteractionListView.as_view(), name="list"),
    path("new/", views.InteractionEditView.as_view(), name="create"),
    path("bulk/", views.InteractionBulkView.as_view(), name="bulk"),
    path("<uuid:pk>/", views.InteractionDetailView.as_view(), name="detail"),
    path("<uuid:pk>/edit/", views.InteractionEditView.as_view(), name="edit"),
    path("<uuid:pk>/delete/", views.InteractionDeleteView.as_view(), name="delete"),
    path("<uuid:pk>/complete/", views.FollowUpCompleteView.as_view(), name="complete"),
    path("log/contact/<uuid:pk>/", views.QuickLogContactView.as_view(), name="log_contact"),
    path("log/company/<uuid:pk>/", views.QuickLogCompanyView.as_view(), name="log_company"),
    path(
        "timeline/contact/<uuid:pk>/", views.TimelineContactView.as_view(), name="timeline_contact"
    ),
    path(
        "timeline/company/<uuid:pk>/", views.TimelineCompanyView.as_view(), name="timeline_company"
    ),
]
