"""Import jobs in the API: read-only (files are uploaded in the web UI)."""

import django_filters

from guanxi.core.api.viewsets import WorkspaceReadOnlyViewSet
from guanxi.imports.api.serializers import ImportJobSerializer
from guanxi.imports.choices import ImportStatus, ImportTarget
from guanxi.imports.models import ImportJob
from guanxi.imports.selectors import import_job_list


class ImportJobFilterSet(django_filters.FilterSet):
    target = django_filters.ChoiceFilter(choices=ImportTarget.choices)
    status = django_filters.ChoiceFilter(choices=ImportStatus.choices)

    class Meta:
        model = ImportJob
        fields = ["target", "status"]


class ImportJobViewSet(WorkspaceReadOnlyViewSet):
    """Your import jobs (administrators: everyone's), newest first, with progress and the
    row-level error report."""

    resource = "imports"
    selector = import_job_list
    read_serializer_class = ImportJobSerializer
    filterset_class = ImportJobFilterSet
    ordering_fields = ["created_at"]
