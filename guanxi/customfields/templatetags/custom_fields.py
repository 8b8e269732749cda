"""Template filters for custom field values (no queries: values live on the row)."""

from typing import Any

from django import template

from guanxi.customfields.models import CustomFieldDefinition
from guanxi.customfields.values import display_custom_value

register = template.Library()


@register.filter
def custom_value(record: Any, definition: CustomFieldDefinition) -> str:
    """`{{ object|custom_value:definition }}`: the display text of one custom field."""
    values = getattr(record, "custom_fields", None) or {}
    return display_custom_value(definition, values.get(definition.key))
