"""Web UI routes of the quality app."""

from django.urls import path

from guanxi.quality import views

app_name = "quality"
urlpatterns = [
    path("duplicates/", views.DuplicateListView.as_view(), name="duplicates"),
    path("duplicates/scan/", views.DuplicateScanView.as_view(), name="scan"),
    path("duplicates/<uuid:pk>/dismiss/", views.CandidateDismissView.as_view(), name="dismiss"),
    path("contacts/merge/", views.ContactMergeView.as_view(), name="contacts_merge"),
    path("companies/merge/", views.CompanyMergeView.as_view(), name="companies_merge"),
    path("contacts/check/", views.ContactHintView.as_view(), name="contacts_check"),
    path("companies/check/", views.CompanyHintView.as_view(), name="companies_check"),
    path(
        "contacts/<uuid:pk>/duplicates/",
        views.ContactDuplicatesView.as_view(),
        name="contacts_duplicates",
    ),
    path(
        "companies/<uuid:pk>/duplicates/",
        views.CompanyDuplicatesView.as_view(),
        name="companies_duplicates",
    ),
    path("settings/", views.QualitySettingsView.as_view(), name="settings"),
]
