"""Public routes of the web-to-lead form (no login): /f/<token>/."""

from django.urls import path

from guanxi.leads import public_views

app_name = "lead_form"
urlpatterns = [
    path("<str:token>/", public_views.lead_form, name="form"),
    path("<str:token>/thanks/", public_views.lead_form_thanks, name="thanks"),
]
