from guanxi.audit.api.serializers import AuditEventSerializer
from guanxi.audit.filtersets import AuditEventFilterSet
from guanxi.audit.selectors import audit_event_list
from guanxi.core.api.viewsets import WorkspaceReadOnlyViewSet


class AuditEventViewSet(WorkspaceReadOnlyViewSet):
    """The workspace's change log, newest first (administrators only)."""

    resource = "audit"
    selector = audit_event_list
    read_serializer_class = AuditEventSerializer
    filterset_class = AuditEventFilterSet
    ordering_fields = ["created_at"]
