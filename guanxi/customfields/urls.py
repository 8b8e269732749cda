"""Web UI routes of the customfields app."""

from django.urls import path  # noqa: F401

app_name = "customfields"
urlpatterns: list = []
