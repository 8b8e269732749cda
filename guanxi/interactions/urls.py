"""Web UI routes of the interactions app."""

from django.urls import path  # noqa: F401

app_name = "interactions"
urlpatterns: list = []
