"""Opens an audit context per request: source from the path, request id, client IP."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from guanxi.audit.choices import AuditSource
from guanxi.audit.context import audit_context

REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


def source_of(path: str) -> str:
    if path.startswith("/api/"):
        return AuditSource.API
    if path.startswith("/admin/"):
        return AuditSource.ADMIN
    return AuditSource.UI


class AuditContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if REQUEST_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        with audit_context(
            source=source_of(request.path),
            request=request,
            request_id=request_id,
            ip=request.META.get("REMOTE_ADDR"),
        ):
            response = self.get_response(request)
        response["X-Request-ID"] = request_id
        return response
