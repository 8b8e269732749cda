"""/api/v1/custom-fields/: the workspace's definitions, so clients know keys and types."""

import django_filters

from guanxi.core.api.viewsets import WorkspaceReadOnlyViewSet
from guanxi.customfields.api.serializers import CustomFieldDefinitionSerializer
from guanxi.customfields.models import CustomFieldDefinition, CustomFieldModel
from guanxi.customfields.selectors import definition_list


class CustomFieldDefinitionFilterSet(django_filters.FilterSet):
    model = django_filters.ChoiceFilter(choices=CustomFieldModel.choices)
    active = django_filters.BooleanFilter()

    class Meta:
        model = CustomFieldDefinition
        fields = ["model", "active"]


class CustomFieldDefinitionViewSet(WorkspaceReadOnlyViewSet):
    """Custom field definitions of the workspace (all record types, in display order, not
    paginated: at most 100 per record type). Values are read and written in each record's
    `custom_fields` object under `key`; archived definitions (`active: false`) are hidden there.
    Filter with `?model=contacts.contact` and `?active=true`."""

    resource = "custom_fields"
    selector = definition_list
    read_serializer_class = CustomFieldDefinitionSerializer
    filterset_class = CustomFieldDefinitionFilterSet
    pagination_class = None
    ordering_fields = ["order", "label", "created_at"]
