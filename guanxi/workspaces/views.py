"""Workspace pages: home, switching workspace, and administration (settings, members, teams)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from guanxi.core.errors import ApplicationError, validation_error_fields
from guanxi.core.forms import field_errors_of
from guanxi.core.paging import page_number, paginate
from guanxi.core.permissions import Action, role_can
from guanxi.interactions.selectors import follow_ups_due
from guanxi.workspaces import services
from guanxi.workspaces.decorators import role_required
from guanxi.workspaces.forms import (
    MemberInviteForm,
    RoleTeamForm,
    TeamForm,
    WorkspaceSettingsForm,
    WorkspaceSwitchForm,
)
from guanxi.workspaces.middleware import SESSION_KEY
from guanxi.workspaces.models import Membership
from guanxi.workspaces.permissions import MANAGE
from guanxi.workspaces.selectors import HOME_COUNT_CAP, home_counts, member_list, team_overview

admin_required = role_required("workspace", MANAGE)


def service_errors_on(form: Form, error: ApplicationError | ValidationError) -> None:
    """Shows a service's refusal on the form, next to the field it names."""
    field_errors_of(
        form,
        error.as_field_errors()
        if isinstance(error, ApplicationError)
        else validation_error_fields(error),
    )


@login_required
def home(request: HttpRequest) -> HttpResponse:
    if request.membership is None:
        return render(request, "core/no_workspace.html")
    membership = request.membership
    follow_ups = (
        follow_ups_due(membership=membership)
        if role_can(membership.role, "interactions", Action.VIEW)
        else None
    )
    return render(
        request,
        "workspaces/home.html",
        {
            "counts": home_counts(membership),
            "count_cap": HOME_COUNT_CAP,
            "follow_ups": follow_ups,
        },
    )


@login_required
@require_POST
def switch(request: HttpRequest) -> HttpResponse:
    form = WorkspaceSwitchForm(request.POST)
    membership = (
        Membership.objects.select_related("workspace")
        .filter(user=request.user, is_active=True, workspace_id=form.cleaned_data["workspace"])
        .first()
        if form.is_valid()
        else None
    )
    if membership is None:
        raise Http404
    request.session[SESSION_KEY] = str(membership.workspace_id)
    messages.success(request, _("Switched to %(name)s.") % {"name": membership.workspace.name})
    # home, not the previous page: that page showed a record of the other workspace
    return redirect("home")


@admin_required
@require_http_methods(["GET", "POST"])
def workspace_settings(request: HttpRequest) -> HttpResponse:
    workspace = request.workspace
    form = WorkspaceSettingsForm(
        request.POST or None,
        initial={
            "name": workspace.name,
            "currency": workspace.currency,
            "time_zone": workspace.time_zone,
            "language": workspace.language,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.workspace_update(workspace=workspace, data=form.cleaned_data)
        except ValidationError as error:
            workspace.refresh_from_db()  # the header shows the saved name, not the refused one
            service_errors_on(form, error)
        else:
            messages.success(request, _("Workspace settings saved."))
            return redirect("workspaces:settings")
    return render(request, "workspaces/settings.html", {"form": form})


@admin_required
@require_http_methods(["GET", "POST"])
def member_list_view(request: HttpRequest) -> HttpResponse:
    """The member list; POST invites or adds someone by email."""
    workspace = request.workspace
    form = MemberInviteForm(request.POST or None, workspace=workspace)
    if request.method == "POST" and form.is_valid():
        try:
            membership = services.member_add(
                workspace=workspace,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                team=form.cleaned_data["team"],
                invited_by=request.user,
                domain=request.get_host(),
                use_https=request.is_secure(),
            )
        except (ApplicationError, ValidationError) as error:
            service_errors_on(form, error)
        else:
            messages.success(request, _("%(email)s was added.") % {"email": membership.user.email})
            return redirect("workspaces:members")
    page = paginate(member_list(workspace=workspace), page_number(request.GET.get("page")))
    return render(request, "workspaces/members.html", {"form": form, "page": page})


def membership_of_workspace(request: HttpRequest, pk) -> Membership:
    return get_object_or_404(member_list(workspace=request.workspace), pk=pk)


@admin_required
@require_http_methods(["GET", "POST"])
def member_edit(request: HttpRequest, pk) -> HttpResponse:
    membership = membership_of_workspace(request, pk)
    form = RoleTeamForm(
        request.POST or None,
        workspace=request.workspace,
        initial={"role": membership.role, "team": membership.team_id},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_update(
                membership=membership,
                role=form.cleaned_data["role"],
                team=form.cleaned_data["team"],
                is_active=membership.is_active,
                actor=request.user,
            )
        except (ApplicationError, ValidationError) as error:
            service_errors_on(form, error)
        else:
            messages.success(request, _("%(user)s was updated.") % {"user": membership.user})
            return redirect("workspaces:members")
    return render(request, "workspaces/member_edit.html", {"form": form, "membership": membership})


@admin_required
@require_http_methods(["GET", "POST"])
def member_deactivate(request: HttpRequest, pk) -> HttpResponse:
    membership = membership_of_workspace(request, pk)
    if request.method == "POST":
        return set_member_active(request, membership, active=False)
    return render(request, "workspaces/member_deactivate.html", {"membership": membership})


@admin_required
@require_POST
def member_reactivate(request: HttpRequest, pk) -> HttpResponse:
    return set_member_active(request, membership_of_workspace(request, pk), active=True)


def set_member_active(
    request: HttpRequest, membership: Membership, *, active: bool
) -> HttpResponse:
    try:
        services.membership_update(
            membership=membership,
            role=membership.role,
            team=membership.team,
            is_active=active,
            actor=request.user,
        )
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        done = _("%(user)s was reactivated.") if active else _("%(user)s was deactivated.")
        messages.success(request, done % {"user": membership.user})
    return redirect("workspaces:members")


@admin_required
@require_http_methods(["GET", "POST"])
def team_list_view(request: HttpRequest) -> HttpResponse:
    """The teams with their member counts; POST creates one."""
    form = TeamForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            team = services.team_create(workspace=request.workspace, name=form.cleaned_data["name"])
        except (ApplicationError, ValidationError) as error:
            service_errors_on(form, error)
        else:
            messages.success(request, _("Team “%(name)s” created.") % {"name": team.name})
            return redirect("workspaces:teams")
    teams = team_overview(workspace=request.workspace)
    return render(request, "workspaces/teams.html", {"form": form, "teams": teams})
