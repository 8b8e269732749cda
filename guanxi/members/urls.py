"""Web UI routes of the members app."""

from django.urls import path

from guanxi.members import views

app_name = "members"
urlpatterns = [
    path("", views.MemberListView.as_view(), name="list"),
    path("new/", views.MemberCreateView.as_view(), name="create"),
    path("enrol/<uuid:pk>/", views.EnrolView.as_view(), name="enrol"),
    path("transactions/", views.TransactionListView.as_view(), name="transactions"),
    path("settings/", views.LoyaltySettingsView.as_view(), name="settings"),
    path("<uuid:pk>/", views.MemberDetailView.as_view(), name="detail"),
    path("<uuid:pk>/edit/", views.MemberEditView.as_view(), name="edit"),
    path("<uuid:pk>/delete/", views.MemberDeleteView.as_view(), name="delete"),
    path(
        "<uuid:pk>/transactions/new/",
        views.TransactionCreateView.as_view(),
        name="transaction_create",
    ),
    path("<uuid:pk>/redeem/", views.RedeemView.as_view(), name="redeem"),
    path("<uuid:pk>/adjust/", views.AdjustView.as_view(), name="adjust"),
]
