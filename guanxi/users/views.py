"""Account pages: personal API tokens (created and shown once, listed, revoked) and logout."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from guanxi.core.errors import ApplicationError
from guanxi.core.paging import page_number, paginate
from guanxi.users.forms import ApiTokenForm
from guanxi.users.models import ApiToken
from guanxi.users.selectors import api_token_list
from guanxi.users.services import api_token_create, api_token_revoke

TOKENS_PER_PAGE = 25


@never_cache  # the page that shows a new key must not be kept by any cache
@login_required
@require_http_methods(["GET", "POST"])
def token_list(request: HttpRequest) -> HttpResponse:
    form = ApiTokenForm(
        request.POST or None, user=request.user, current_workspace=request.workspace
    )
    new_token, new_key = None, None
    if request.method == "POST" and form.is_valid():
        try:
            new_token, new_key = api_token_create(
                user=request.user,
                workspace=form.cleaned_data["workspace"],
                name=form.cleaned_data["name"],
            )
        except ApplicationError as error:
            form.add_error(error.field, error.message)
        else:
            # rendered, not redirected: the key lives in this response only
            form = ApiTokenForm(user=request.user, current_workspace=request.workspace)
    page = paginate(
        api_token_list(user=request.user),
        page_number(request.GET.get("page")),
        per_page=TOKENS_PER_PAGE,
    )
    return render(
        request,
        "users/token_list.html",
        {"form": form, "page": page, "new_token": new_token, "new_key": new_key},
    )


@login_required
@require_http_methods(["GET", "POST"])
def token_revoke(request: HttpRequest, pk) -> HttpResponse:
    token = get_object_or_404(
        ApiToken.objects.select_related("workspace"), pk=pk, user=request.user
    )
    if request.method == "POST":
        api_token_revoke(token=token)
        messages.success(request, _("Token “%(name)s” revoked.") % {"name": token.name})
        return redirect("users:tokens")
    return render(request, "users/token_revoke.html", {"token": token})


class LogoutView(auth_views.LogoutView):
    """Django's logout (POST only), confirmed with a message on the login page."""

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = super().post(request, *args, **kwargs)
        messages.info(request, _("You have been logged out."))
        return response
