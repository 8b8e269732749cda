"""Web UI routes of the leads app."""

from django.urls import path

from guanxi.leads import views

app_name = "leads"
urlpatterns = [
    path("", views.LeadListView.as_view(), name="list"),
    path("new/", views.LeadEditView.as_view(), name="create"),
    path("bulk/", views.LeadBulkView.as_view(), name="bulk"),
    path("scoring/", views.ScoringSettingsView.as_view(), name="scoring"),
    path("web-form/", views.WebFormSettingsView.as_view(), name="web_form"),
    path("<uuid:pk>/", views.LeadDetailView.as_view(), name="detail"),
    path("<uuid:pk>/edit/", views.LeadEditView.as_view(), name="edit"),
    path("<uuid:pk>/delete/", views.LeadDeleteView.as_view(), name="delete"),
    path("<uuid:pk>/assign/", views.LeadAssignView.as_view(), name="assign"),
    path("<uuid:pk>/convert/", views.LeadConvertView.as_view(), name="convert"),
]
