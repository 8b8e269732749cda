"""Web UI routes of the assignment app."""

from django.urls import path

from guanxi.assignment import views

app_name = "assignment"
urlpatterns = [
    path("", views.RuleListView.as_view(), name="list"),
    path("new/", views.RuleEditView.as_view(), name="create"),
    path("preview/", views.RulePreviewView.as_view(), name="preview"),
    path("<uuid:pk>/edit/", views.RuleEditView.as_view(), name="edit"),
    path("<uuid:pk>/delete/", views.RuleDeleteView.as_view(), name="delete"),
    path("<uuid:pk>/move/", views.RuleMoveView.as_view(), name="move"),
]
