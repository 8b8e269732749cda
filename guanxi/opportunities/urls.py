"""Web UI routes of the opportunities app: deals, the kanban board, pipeline settings."""

from django.urls import path

from guanxi.opportunities import board_views, pipeline_views, views

app_name = "opportunities"
urlpatterns = [
    path("", views.OpportunityListView.as_view(), name="list"),
    path("new/", views.OpportunityEditView.as_view(), name="create"),
    path("bulk/", views.OpportunityBulkView.as_view(), name="bulk"),
    path("<uuid:pk>/", views.OpportunityDetailView.as_view(), name="detail"),
    path("<uuid:pk>/edit/", views.OpportunityEditView.as_view(), name="edit"),
    path("<uuid:pk>/delete/", views.OpportunityDeleteView.as_view(), name="delete"),
    path("<uuid:pk>/move/", views.OpportunityMoveView.as_view(), name="move"),
    path("<uuid:pk>/won/", views.OpportunityWonView.as_view(), name="won"),
    path("<uuid:pk>/lost/", views.OpportunityLostView.as_view(), name="lost"),
    path("<uuid:pk>/checklist/", views.ChecklistToggleView.as_view(), name="checklist"),
    path("<uuid:pk>/contacts/", views.DealContactAddView.as_view(), name="contact_add"),
    path(
        "<uuid:pk>/contacts/<uuid:link_pk>/remove/",
        views.DealContactRemoveView.as_view(),
        name="contact_remove",
    ),
    path("board/", board_views.BoardView.as_view(), name="board_default"),
    path("board/<uuid:pipeline_pk>/", board_views.BoardView.as_view(), name="board"),
    path(
        "board/<uuid:pipeline_pk>/summary/",
        board_views.BoardSummaryView.as_view(),
        name="board_summary",
    ),
    path(
        "board/column/<uuid:stage_pk>/",
        board_views.BoardColumnView.as_view(),
        name="board_column",
    ),
    path("pipelines/", pipeline_views.PipelineListView.as_view(), name="pipelines"),
    path("pipelines/new/", pipeline_views.PipelineEditView.as_view(), name="pipeline_create"),
    path(
        "pipelines/<uuid:pk>/edit/", pipeline_views.PipelineEditView.as_view(), name="pipeline_edit"
    ),
    path(
        "pipelines/<uuid:pk>/delete/",
        pipeline_views.PipelineDeleteView.as_view(),
        name="pipeline_delete",
    ),
    path(
        "pipelines/<uuid:pk>/stages/new/",
        pipeline_views.StageEditView.as_view(),
        name="stage_create",
    ),
    path("stages/<uuid:stage_pk>/edit/", pipeline_views.StageEditView.as_view(), name="stage_edit"),
    path(
        "stages/<uuid:stage_pk>/delete/",
        pipeline_views.StageDeleteView.as_view(),
        name="stage_delete",
    ),
    path("stages/<uuid:stage_pk>/move/", pipeline_views.StageMoveView.as_view(), name="stage_move"),
]
