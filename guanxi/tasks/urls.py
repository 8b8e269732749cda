"""Web UI routes of the tasks app."""

from django.urls import path

from guanxi.tasks import views

app_name = "tasks"
urlpatterns = [
    # the team's (every visible) task is the list the generic pages and exports know
    path("", views.TeamTaskListView.as_view(), name="list"),
    path("mine/", views.TaskListView.as_view(), name="mine"),
    path("calendar/", views.CalendarView.as_view(), name="calendar"),
    path("metrics/", views.MetricsView.as_view(), name="metrics"),
    path("new/", views.TaskEditView.as_view(), name="create"),
    path("bulk/", views.TaskBulkView.as_view(), name="bulk"),
    path("<uuid:pk>/", views.TaskDetailView.as_view(), name="detail"),
    path("<uuid:pk>/edit/", views.TaskEditView.as_view(), name="edit"),
    path("<uuid:pk>/delete/", views.TaskDeleteView.as_view(), name="delete"),
    path("<uuid:pk>/complete/", views.TaskCompleteView.as_view(), name="complete"),
    path("<uuid:pk>/comments/", views.CommentCreateView.as_view(), name="comment"),
    path("quick/contact/<uuid:pk>/", views.QuickTaskContactView.as_view(), name="quick_contact"),
    path("quick/company/<uuid:pk>/", views.QuickTaskCompanyView.as_view(), name="quick_company"),
    path("quick/lead/<uuid:pk>/", views.QuickTaskLeadView.as_view(), name="quick_lead"),
    path(
        "quick/opportunity/<uuid:pk>/",
        views.QuickTaskOpportunityView.as_view(),
        name="quick_opportunity",
    ),
]
