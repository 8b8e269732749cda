"""Web UI routes of the customfields app (Settings → custom fields, tags; list columns)."""

from django.urls import path

from guanxi.customfields import views

app_name = "customfields"
urlpatterns = [
    path("", views.definition_index, name="list"),
    path("new/", views.definition_create, name="create"),
    path("<uuid:pk>/edit/", views.definition_edit, name="edit"),
    path("<uuid:pk>/active/", views.definition_set_active, name="set_active"),
    path("<uuid:pk>/move/", views.definition_move, name="move"),
    path("<uuid:pk>/delete/", views.definition_delete, name="delete"),
    path("tags/", views.tag_index, name="tags"),
    path("tags/<uuid:pk>/edit/", views.tag_edit, name="tag_edit"),
    path("tags/<uuid:pk>/merge/", views.tag_merge, name="tag_merge"),
    path("tags/<uuid:pk>/delete/", views.tag_delete, name="tag_delete"),
    path("columns/", views.columns_save, name="columns"),
]
