"""The contacts API: CRUD through the services, on the base viewset."""

from guanxi.contacts.api.serializers import ContactSerializer, ContactWriteSerializer
from guanxi.contacts.filtersets import ContactFilterSet
from guanxi.contacts.selectors import contact_list
from guanxi.contacts.services import contact_create, contact_delete, contact_update
from guanxi.core.api.viewsets import WorkspaceViewSet


class ContactViewSet(WorkspaceViewSet):
    """Contacts. `search` finds exact mobile, exact email, or partial name / company name."""

    resource = "contacts"
    selector = contact_list
    read_serializer_class = ContactSerializer
    write_serializer_class = ContactWriteSerializer
    create_service = contact_create
    update_service = contact_update
    delete_service = contact_delete
    filterset_class = ContactFilterSet
    # cursor pagination needs a column without NULLs to order on
    ordering_fields = ["name", "created_at", "updated_at"]
