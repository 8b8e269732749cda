"""View guards: a logged-in member of a workspace, optionally with a role permission."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from guanxi.core.permissions import role_can

View = Callable[..., HttpResponse]


def membership_required(view: View) -> View:
    """Anonymous users go to the login page; users without a workspace are told so (403)."""

    @wraps(view)
    def guarded(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.membership is None:
            return render(request, "core/no_workspace.html", status=403)
        return view(request, *args, **kwargs)

    return login_required(guarded)


def role_required(resource: str, action: str) -> Callable[[View], View]:
    """403 (the same page as core's generic views) unless the role may `action` on `resource`."""

    def decorator(view: View) -> View:
        @wraps(view)
        def guarded(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not role_can(request.membership.role, resource, action):
                return render(request, "core/forbidden.html", status=403)
            return view(request, *args, **kwargs)

        return membership_required(guarded)

    return decorator
