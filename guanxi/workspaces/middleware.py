"""Puts the current workspace and membership on every request (session users; API tokens bind their own)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from guanxi.workspaces.selectors import membership_for

SESSION_KEY = "workspace_id"


class WorkspaceMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.membership = None
        request.workspace = None
        if request.user.is_authenticated:
            activate_membership(
                request,
                membership_for(user=request.user, workspace_id=request.session.get(SESSION_KEY)),
            )
        return self.get_response(request)


def activate_membership(request: HttpRequest, membership) -> None:
    request.membership = membership
    request.workspace = membership.workspace if membership else None
    if (
        membership
        and hasattr(request, "session")
        and request.session.get(SESSION_KEY) != str(membership.workspace_id)
    ):
        request.session[SESSION_KEY] = str(membership.workspace_id)
