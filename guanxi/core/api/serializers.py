"""Serializer building blocks: workspace-scoped relations, tags by name, masked PII."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from guanxi.customfields.values import clean_custom_values, definitions_for
from guanxi.users.models import User
from guanxi.workspaces.permissions import can_view_sensitive


class WorkspaceRelatedField(serializers.PrimaryKeyRelatedField):
    """A foreign key limited to the request's workspace: another workspace's id is a 400."""

    default_error_messages = {
        "does_not_exist": _("No object with id “{pk_value}” exists in this workspace."),
        "incorrect_type": _("Expected an id (UUID), got {data_type}."),
    }

    def __init__(self, model: type, **kwargs: Any):
        self.model = model
        kwargs.setdefault("queryset", model.objects.none())
        super().__init__(**kwargs)

    def get_queryset(self):
        workspace = self.context.get("workspace")
        return (
            self.model.objects.filter(workspace=workspace)
            if workspace
            else self.model.objects.none()
        )

    def to_internal_value(self, data: Any) -> Any:
        try:
            return super().to_internal_value(data)
        except (ValueError, TypeError, AttributeError):
            self.fail("incorrect_type", data_type=type(data).__name__)


class WorkspaceUserField(serializers.PrimaryKeyRelatedField):
    """A user who is a member of the request's workspace."""

    default_error_messages = {
        "does_not_exist": _("No member with id “{pk_value}” in this workspace."),
        "incorrect_type": _("Expected a user id (UUID), got {data_type}."),
    }

    def __init__(self, **kwargs: Any):
        kwargs.setdefault("queryset", User.objects.none())
        super().__init__(**kwargs)

    def get_queryset(self):
        workspace = self.context.get("workspace")
        return (
            User.objects.filter(memberships__workspace=workspace, memberships__is_active=True)
            if workspace
            else User.objects.none()
        )

    def to_internal_value(self, data: Any) -> Any:
        try:
            return super().to_internal_value(data)
        except (ValueError, TypeError, AttributeError):
            self.fail("incorrect_type", data_type=type(data).__name__)


def is_tag_name(name: Any) -> bool:
    # NUL cannot be stored in a PostgreSQL text column
    return isinstance(name, str) and 0 < len(name.strip()) <= 50 and "\x00" not in name


@extend_schema_field({"type": "array", "items": {"type": "string", "maxLength": 50}})
class TagNamesField(serializers.Field):
    """Tags as a list of names; the service creates unknown names in the workspace."""

    default_error_messages = {
        "not_a_list": _("Expected a list of tag names."),
        "too_many": _("At most 50 tags."),
        "bad_name": _("Each tag is text of 1–50 characters."),
    }

    def to_representation(self, value: Any) -> list[str]:
        return [tag.name for tag in value.all()]

    def to_internal_value(self, data: Any) -> list[str]:
        if not isinstance(data, list):
            self.fail("not_a_list")
        if len(data) > 50:
            self.fail("too_many")
        if not all(is_tag_name(name) for name in data):
            self.fail("bad_name")
        return sorted({name.strip() for name in data})


class MaskedSensitiveMixin:
    """Masks the model's `audit_masks` fields for roles without view_sensitive (SEC-2)."""

    def to_representation(self, instance: Any) -> dict[str, Any]:
        data = super().to_representation(instance)
        membership = self.context.get("membership")
        if membership is None or not can_view_sensitive(membership.role):
            for name, mask in getattr(type(instance), "audit_masks", {}).items():
                if data.get(name):
                    data[name] = mask(data[name])
        return data


class OwnerSummarySerializer(serializers.Serializer):
    id = serializers.UUIDField()
    name = serializers.CharField(source="__str__")


CUSTOM_FIELD_VALUE_SCHEMA = {
    "oneOf": [
        {"type": "string"},
        {"type": "integer"},
        {"type": "boolean"},
        {"type": "array", "items": {"type": "string"}},
    ],
    "nullable": True,
}


def custom_field_definitions(context: dict[str, Any], model_label: str) -> list:
    """The workspace's definitions for a model, read once per request (cached in the context)."""
    cache = context.setdefault("_custom_field_definitions", {})
    if model_label not in cache:
        workspace = context.get("workspace")
        cache[model_label] = (
            definitions_for(workspace, model_label, include_inactive=True) if workspace else []
        )
    return cache[model_label]


@extend_schema_field(
    {
        "type": "object",
        "additionalProperties": CUSTOM_FIELD_VALUE_SCHEMA,
        "description": (
            "Values of the workspace's custom fields by key (list them at "
            "/api/v1/custom-fields/). text, url, email, phone, choice: string; number: integer; "
            'decimal: string such as "12.50"; date: "YYYY-MM-DD"; boolean: true/false; '
            "multi_choice: list of strings. On write, keys you leave out keep their value and "
            "null removes one; unknown keys and wrong types are a 400 naming custom_fields.<key>."
        ),
    }
)
class CustomFieldsField(serializers.Field):
    """A record's custom field values; reads show only the active definitions' values."""

    default_error_messages = {
        "not_an_object": _("Expected an object with custom field keys and their values.")
    }

    def to_representation(self, value: Any) -> dict[str, Any]:
        model_label = self.parent.Meta.model._meta.label_lower
        active = {d.key for d in custom_field_definitions(self.context, model_label) if d.active}
        return {key: item for key, item in (value or {}).items() if key in active}

    def to_internal_value(self, data: Any) -> dict[str, Any]:
        if not isinstance(data, dict):
            self.fail("not_an_object")
        return data


class CustomFieldsWriteMixin:
    """Validates `custom_fields` against the workspace's definitions: merged over the stored
    values on update, defaults and required fields applied on create."""

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs = super().validate(attrs)
        instance = getattr(self, "instance", None)
        if "custom_fields" not in attrs and instance is not None:
            return attrs
        definitions = custom_field_definitions(self.context, self.Meta.model._meta.label_lower)
        try:
            attrs["custom_fields"] = clean_custom_values(
                definitions,
                attrs.get("custom_fields", {}),
                existing=instance.custom_fields if instance is not None else None,
            )
        except DjangoValidationError as exc:
            raise serializers.ValidationError(
                {
                    "custom_fields": {
                        key.removeprefix("custom_fields.").removeprefix("custom_fields"): messages
                        for key, messages in exc.message_dict.items()
                    }
                }
            ) from exc
        return attrs
