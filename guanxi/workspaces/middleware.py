"""Puts the current workspace and membership on every request, and shows times in its zone.

Session users get the workspace chosen in the UI; API tokens bind their own (core.api.viewsets).
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone, translation

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
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()


def activate_membership(request: HttpRequest, membership, *, remember: bool = True) -> None:
    """`remember=False` for API tokens: a token request must not create a session row."""
    request.membership = membership
    request.workspace = membership.workspace if membership else None
    if membership is None:
        return
    timezone.activate(membership.workspace.time_zone)
    # the workspace's language applies when neither a chosen language (switcher cookie) nor
    # the client's Accept-Language says otherwise
    if (
        settings.LANGUAGE_COOKIE_NAME not in request.COOKIES
        and "HTTP_ACCEPT_LANGUAGE" not in request.META
    ):
        translation.activate(membership.workspace.language)
        request.LANGUAGE_CODE = translation.get_language()
    if (
        remember
        and hasattr(request, "session")
        and request.session.get(SESSION_KEY) != str(membership.workspace_id)
    ):
        request.session[SESSION_KEY] = str(membership.workspace_id)
