"""Web UI routes of the imports app."""

from django.urls import path  # noqa: F401

app_name = "imports"
urlpatterns: list = []
