"""Web UI routes of the workspaces app: `home` at the root, the rest under workspaces:…"""

from django.urls import include, path

from guanxi.workspaces import views

workspace_patterns = [
    path("switch/", views.switch, name="switch"),
    path("settings/", views.workspace_settings, name="settings"),
    path("members/", views.member_list_view, name="members"),
    path("members/<uuid:pk>/edit/", views.member_edit, name="member_edit"),
    path("members/<uuid:pk>/deactivate/", views.member_deactivate, name="member_deactivate"),
    path("members/<uuid:pk>/reactivate/", views.member_reactivate, name="member_reactivate"),
    path("teams/", views.team_list_view, name="teams"),
]

# `home` is un-namespaced: settings.LOGIN_REDIRECT_URL and every app link to it by that name
urlpatterns = [
    path("", views.home, name="home"),
    path("workspace/", include((workspace_patterns, "workspaces"))),
]
