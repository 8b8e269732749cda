"""The base API viewset: owns workspace scoping, role checks, services, ETags and If-Match.

Subclasses declare `resource`, `selector`, serializers and services; they may narrow the
scoped queryset in `filter_scoped_queryset`, never replace `get_queryset`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from django.db.models import Model, QuerySet
from django.utils.translation import gettext as _
from rest_framework import exceptions, viewsets
from rest_framework.parsers import JSONParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from guanxi.core.api.errors import PreconditionFailed
from guanxi.core.api.permissions import RolePermission
from guanxi.core.api.schema import WorkspaceAutoSchema
from guanxi.core.permissions import Action, visible_owner_filter
from guanxi.users.models import ApiToken
from guanxi.workspaces.middleware import activate_membership
from guanxi.workspaces.selectors import membership_for

VIEW_ACTIONS = {
    "list": Action.VIEW,
    "retrieve": Action.VIEW,
    "create": Action.ADD,
    "update": Action.CHANGE,
    "partial_update": Action.CHANGE,
    "destroy": Action.DELETE,
    "metadata": Action.VIEW,
}


class WorkspaceScopedMixin:
    """Resolves the membership, checks the role, and scopes every query to the workspace."""

    resource: ClassVar[str]
    selector: ClassVar[Callable[..., QuerySet]]
    read_serializer_class: ClassVar[type]
    # extra @action names → the permission action they need
    action_permissions: ClassVar[dict[str, str]] = {}
    permission_classes = [IsAuthenticated, RolePermission]
    parser_classes = [JSONParser]
    schema = WorkspaceAutoSchema()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        for name in ("get_queryset", "initial"):
            if name in cls.__dict__:
                raise TypeError(
                    f"{cls.__name__} must not override {name}; narrow the queryset in filter_scoped_queryset()."
                )

    # --- tenancy ------------------------------------------------------------------------
    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        self.resolve_membership(request)
        super().initial(request, *args, **kwargs)

    def resolve_membership(self, request: Request) -> None:
        """A token binds its workspace; a session uses the workspace chosen in the UI."""
        django_request = request._request
        if isinstance(request.auth, ApiToken):
            membership = membership_for(user=request.user, workspace_id=request.auth.workspace_id)
            if membership is None or membership.workspace_id != request.auth.workspace_id:
                raise exceptions.AuthenticationFailed(
                    _("This token's workspace membership is no longer active.")
                )
            activate_membership(django_request, membership, remember=False)
        elif request.user.is_authenticated and getattr(django_request, "membership", None) is None:
            activate_membership(
                django_request, membership_for(user=request.user, workspace_id=None)
            )
        request.membership = getattr(django_request, "membership", None)
        request.workspace = getattr(django_request, "workspace", None)

    @property
    def permission_action(self) -> str:
        if self.action is None:  # a method the viewset does not offer: let DRF answer 405
            return Action.VIEW
        return VIEW_ACTIONS.get(self.action) or self.action_permissions.get(
            self.action, Action.CHANGE
        )

    def get_queryset(self) -> QuerySet:
        membership = getattr(self.request, "membership", None)
        if membership is None:  # schema generation
            return self.base_model().objects.none()
        queryset = (
            type(self)
            .selector(membership=membership, action=Action.VIEW)
            .filter(workspace=membership.workspace)
        )
        return self.filter_scoped_queryset(queryset)

    def base_model(self) -> type[Model]:
        return self.read_serializer_class.Meta.model

    def filter_scoped_queryset(self, queryset: QuerySet) -> QuerySet:
        return queryset

    def within_write_scope(self, obj: Model) -> bool:
        if self.permission_action == Action.VIEW or not hasattr(obj, "owner_id"):
            return True
        q = visible_owner_filter(self.request.membership, self.resource, self.permission_action)
        return type(obj).objects.filter(pk=obj.pk).filter(q).exists()

    def get_serializer_class(self) -> type:
        return self.read_serializer_class

    def get_serializer_context(self) -> dict[str, Any]:
        context = super().get_serializer_context()
        context["membership"] = getattr(self.request, "membership", None)
        context["workspace"] = getattr(self.request, "workspace", None)
        return context

    def service_object_name(self) -> str:
        return self.base_model()._meta.model_name


class WorkspaceReadOnlyViewSet(WorkspaceScopedMixin, viewsets.ReadOnlyModelViewSet):
    pass


class WorkspaceViewSet(WorkspaceScopedMixin, viewsets.ModelViewSet):
    """CRUD through the app's services, with ETag / If-Match optimistic concurrency."""

    write_serializer_class: ClassVar[type]
    create_service: ClassVar[Callable[..., Model]]
    update_service: ClassVar[Callable[..., Model]]
    delete_service: ClassVar[Callable[..., None]]
    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]

    def get_serializer_class(self) -> type:
        if self.action in ("create", "update", "partial_update"):
            return self.write_serializer_class
        return self.read_serializer_class

    def read_response(self, instance: Model, status_code: int = 200) -> Response:
        data = self.read_serializer_class(instance, context=self.get_serializer_context()).data
        return Response(data, status=status_code, headers={"ETag": instance.etag})

    # --- writes go through services -----------------------------------------------------
    def check_if_match(self, instance: Model) -> None:
        expected = self.request.headers.get("If-Match")
        if expected and expected.strip() not in ("*", instance.etag, f"W/{instance.etag}"):
            raise PreconditionFailed()

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.read_response(self.get_object())

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        instance = type(self).create_service(
            workspace=request.workspace, actor=request.user, **serializer.validated_data
        )
        return self.read_response(self.reload(instance), status_code=201)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        instance = self.get_object()
        self.check_if_match(instance)
        partial = kwargs.pop("partial", False)
        serializer = self.get_serializer(instance, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        type(self).update_service(
            **{self.service_object_name(): instance},
            actor=request.user,
            data=serializer.validated_data,
        )
        return self.read_response(self.reload(instance))

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        instance = self.get_object()
        self.check_if_match(instance)
        type(self).delete_service(**{self.service_object_name(): instance}, actor=request.user)
        return Response(status=204)

    def reload(self, instance: Model) -> Model:
        """The saved row as the list shows it; a write may move it out of the caller's view
        (e.g. handing a record to another team), and then the caller still gets its answer."""
        return self.get_queryset().filter(pk=instance.pk).first() or instance
