"""Web UI routes of the workspaces app."""

app_name = "workspaces"
urlpatterns: list = []
