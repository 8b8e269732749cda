"""Web UI routes of the companies app."""

app_name = "companies"
urlpatterns: list = []
