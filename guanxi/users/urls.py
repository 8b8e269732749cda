"""Web UI routes of the users app."""

app_name = "users"
urlpatterns: list = []
