"""OpenAPI generation: read/write serializers per direction, the error responses, token auth."""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers


class ErrorDetailSerializer(serializers.Serializer):
    status = serializers.IntegerField()
    code = serializers.CharField()
    message = serializers.CharField()
    fields = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text="Messages by field name; nested fields as `field.subfield`.",
    )


class ErrorSerializer(serializers.Serializer):
    """The one error body of the API (core.api.errors)."""

    error = ErrorDetailSerializer()


# which error statuses each kind of operation can answer with
ERRORS_EVERYWHERE = ("401", "403")
ERRORS_BY_METHOD = {
    "GET": ("400", "404"),  # lists: bad filter / bad cursor; details: not found
    "POST": ("400",),
    "PUT": ("400", "404", "412"),
    "PATCH": ("400", "404", "412"),
    "DELETE": ("404", "412"),
}


class WorkspaceAutoSchema(AutoSchema):
    """Documents the read serializer as the response of writes, and every error response."""

    def get_response_serializers(self) -> Any:
        read = getattr(self.view, "read_serializer_class", None)
        return read() if read is not None else super().get_response_serializers()

    def _get_response_bodies(self, direction: str = "response") -> dict[str, Any]:
        responses = super()._get_response_bodies(direction)
        codes = [*ERRORS_EVERYWHERE, *ERRORS_BY_METHOD.get(self.method, ())]
        if "{" in self.path and "404" not in codes:
            codes.append("404")  # an action on one record (POST …/{id}/convert/): not found
        for code in codes:
            responses.setdefault(code, self._get_response_for_code(ErrorSerializer, code))
        if self.method in ("GET", "PUT", "PATCH", "POST") and not self._is_list_view():
            for code, response in responses.items():
                if code.startswith("2"):
                    response.setdefault("headers", {})["ETag"] = {
                        "schema": {"type": "string"},
                        "description": "Send it back in If-Match to update or delete safely.",
                    }
        return responses

    def get_override_parameters(self) -> list[Any]:
        parameters = list(super().get_override_parameters())
        if self.method in ("PUT", "PATCH", "DELETE"):
            parameters.append(
                OpenApiParameter(
                    "If-Match",
                    str,
                    OpenApiParameter.HEADER,
                    description="The ETag you read; a stale one is refused with 412.",
                )
            )
        return parameters


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "guanxi.users.authentication.ApiTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema: AutoSchema) -> dict[str, Any]:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "`Token <key>`: a personal API token, bound to one workspace.",
        }
