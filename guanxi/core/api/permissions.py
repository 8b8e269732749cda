"""DRF permission: the request's role may perform this action on the view's resource."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission

from guanxi.core.permissions import role_can


class RolePermission(BasePermission):
    message = _("Your role does not allow this action.")

    def has_permission(self, request, view) -> bool:
        membership = getattr(request, "membership", None)
        if membership is None:
            return False
        return role_can(membership.role, view.resource, view.permission_action)

    def has_object_permission(self, request, view, obj) -> bool:
        return view.within_write_scope(obj)
