"""Serializer building blocks: workspace-scoped relations, tags by name, masked PII."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

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
