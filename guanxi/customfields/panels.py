"""The custom fields panel on contact, company (and member) detail pages."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.db.models import Model

from guanxi.core.panels import Panel, register_panel
from guanxi.customfields.models import CustomFieldModel
from guanxi.customfields.values import definitions_for, display_custom_value

PANEL_TEMPLATE = "customfields/partials/_panel.html"
PANEL_RESOURCES = {
    CustomFieldModel.COMPANY: "companies",
    CustomFieldModel.CONTACT: "contacts",
    CustomFieldModel.MEMBER: "members",
}


def custom_fields_panel_data(record: Model, membership: Any, request: Any) -> dict | None:
    """Label and display value of each active definition; one query. None when the workspace
    defines no fields for this record type."""
    definitions = definitions_for(membership.workspace, record._meta.label_lower)
    if not definitions:
        return None
    values = getattr(record, "custom_fields", None) or {}
    return {
        "rows": [
            (definition, display_custom_value(definition, values.get(definition.key)))
            for definition in definitions
        ]
    }


def register_custom_field_panels() -> None:
    for model_label, resource in PANEL_RESOURCES.items():
        try:
            model = apps.get_model(model_label)
        except LookupError:  # the members app has no model yet
            continue
        if not any(f.name == "custom_fields" for f in model._meta.get_fields()):
            continue
        register_panel(
            model,
            Panel(
                name="custom_fields",
                template=PANEL_TEMPLATE,
                context=custom_fields_panel_data,
                column="main",
                order=10,
                resource=resource,
            ),
        )
