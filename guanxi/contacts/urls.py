"""Web UI routes of the contacts app."""

from django.urls import path

from guanxi.contacts import views

app_name = "contacts"
urlpatterns = [
    path("", views.ContactListView.as_view(), name="list"),
    path("new/", views.ContactEditView.as_view(), name="create"),
    path("bulk/", views.ContactBulkView.as_view(), name="bulk"),
    path("<uuid:pk>/", views.ContactDetailView.as_view(), name="detail"),
    path("<uuid:pk>/edit/", views.ContactEditView.as_view(), name="edit"),
    path("<uuid:pk>/delete/", views.ContactDeleteView.as_view(), name="delete"),
    path("<uuid:pk>/tags/", views.ContactTagsView.as_view(), name="tags"),
]
