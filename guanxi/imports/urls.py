"""Web UI routes of the imports app: the import wizard, templates and list exports."""

from django.urls import path

from guanxi.imports import views
from guanxi.imports.exports import EXPORTS
from guanxi.imports.targets import REGISTRY

app_name = "imports"
urlpatterns = [
    path("", views.ImportListView.as_view(), name="list"),
    path("import/", views.ImportCreateView.as_view(), name="create"),
    path("import/<uuid:pk>/", views.ImportDetailView.as_view(), name="detail"),
    path("import/<uuid:pk>/map/", views.ImportMapView.as_view(), name="map"),
    path("import/<uuid:pk>/start/", views.ImportStartView.as_view(), name="start"),
    path("import/<uuid:pk>/progress/", views.ImportProgressView.as_view(), name="progress"),
    path("import/<uuid:pk>/errors.csv", views.ImportErrorsView.as_view(), name="errors"),
    path(
        "import/<uuid:pk>/template/", views.ImportTemplateSaveView.as_view(), name="save_template"
    ),
    path(
        "import/<uuid:pk>/apply-template/",
        views.ImportTemplateApplyView.as_view(),
        name="apply_template",
    ),
    path("import/<uuid:pk>/delete/", views.ImportDeleteView.as_view(), name="delete"),
    path("exports/<uuid:pk>/", views.ExportDetailView.as_view(), name="export_detail"),
    path("exports/<uuid:pk>/download/", views.ExportDownloadView.as_view(), name="export_download"),
]
# fixed paths per target and format (no id in them): /data/template/contacts.xlsx, /data/export/contacts/
for _target in REGISTRY:
    for _format in ("csv", "xlsx"):
        urlpatterns.append(
            path(
                f"template/{_target}.{_format}",
                views.ImportTemplateFileView.as_view(),
                {"target": _target, "file_format": _format},
                name=f"template_{_target}_{_format}",
            )
        )
urlpatterns += [
    path(f"export/{target}/", views.export_view_for(target).as_view(), name=f"export_{target}")
    for target in EXPORTS
]
