"""Web UI routes of the audit app."""

from django.urls import path

from guanxi.audit import views

app_name = "audit"
urlpatterns = [path("", views.audit_list, name="list")]
