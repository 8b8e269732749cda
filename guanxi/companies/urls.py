"""Web UI routes of the companies app."""

from django.urls import path

from guanxi.companies import views

app_name = "companies"
urlpatterns = [
    path("", views.CompanyListView.as_view(), name="list"),
    path("new/", views.CompanyEditView.as_view(), name="create"),
    path("bulk/", views.CompanyBulkView.as_view(), name="bulk"),
    path("autocomplete/", views.CompanyAutocompleteView.as_view(), name="autocomplete"),
    path("<uuid:pk>/", views.CompanyDetailView.as_view(), name="detail"),
    path("<uuid:pk>/edit/", views.CompanyEditView.as_view(), name="edit"),
    path("<uuid:pk>/delete/", views.CompanyDeleteView.as_view(), name="delete"),
    path("<uuid:pk>/tags/", views.CompanyTagsView.as_view(), name="tags"),
]
