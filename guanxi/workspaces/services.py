"""Writes about tenancy: workspaces, teams, and adding / changing / deactivating members."""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib.auth.forms import PasswordResetForm
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from guanxi.core.errors import ApplicationError
from guanxi.core.services import model_update
from guanxi.users.models import ApiToken, User
from guanxi.workspaces.choices import Role
from guanxi.workspaces.models import Membership, Team, Workspace

WORKSPACE_EDITABLE_FIELDS = ("name", "currency", "time_zone", "language")
# where invitation links point when the caller does not know its own address (`make run`)
DEFAULT_DOMAIN = "127.0.0.1:8000"


@transaction.atomic
def workspace_create(*, name: str, slug: str, admin: User, **settings: str) -> Workspace:
    workspace = Workspace(name=name, slug=slug, **settings)
    workspace.full_clean()
    workspace.save()
    Membership.objects.create(workspace=workspace, user=admin, role=Role.ADMIN)
    return workspace


@transaction.atomic
def workspace_update(*, workspace: Workspace, data: dict[str, Any]) -> Workspace:
    model_update(instance=workspace, fields=WORKSPACE_EDITABLE_FIELDS, data=data)
    return workspace


@transaction.atomic
def team_create(*, workspace: Workspace, name: str) -> Team:
    name = name.strip()
    if Team.objects.filter(workspace=workspace, name=name).exists():
        raise ApplicationError(
            _("A team named “%(name)s” already exists.") % {"name": name},
            code="duplicate",
            field="name",
        )
    team = Team(workspace=workspace, name=name)
    team.full_clean()
    team.save()
    return team


@transaction.atomic
def member_add(
    *,
    workspace: Workspace,
    email: str,
    role: str,
    team: Team | None = None,
    username: str = "",
    invite: bool = True,
    invited_by: User | None = None,
    domain: str = DEFAULT_DOMAIN,
    use_https: bool = False,
) -> Membership:
    """Adds an existing user by email, or creates one and emails a link to set a password."""
    if team is not None and team.workspace_id != workspace.pk:
        raise ApplicationError(_("Choose a team of this workspace."), field="team")
    email = email.strip().lower()
    user = User.objects.filter(email__iexact=email).first()
    if user is not None:
        existing = Membership.objects.filter(workspace=workspace, user=user).first()
        if existing is not None:
            message = (
                _("%(email)s is already a member of this workspace.")
                if existing.is_active
                else _("%(email)s is a deactivated member; reactivate them in the member list.")
            )
            raise ApplicationError(message % {"email": email}, code="already_member", field="email")
    created = user is None
    if created:
        user = User(username=username.strip() or email, email=email)
        # a random password nobody knows: the invitation's reset link lets the person set theirs
        user.set_password(secrets.token_urlsafe(32))
        user.full_clean()
        user.save()
    membership = Membership(workspace=workspace, user=user, role=role, team=team)
    membership.full_clean()
    membership.save()
    if created and invite:
        transaction.on_commit(
            lambda: send_invitation(
                email=email,
                workspace=workspace,
                invited_by=invited_by,
                domain=domain,
                use_https=use_https,
            )
        )
    return membership


def send_invitation(
    *,
    email: str,
    workspace: Workspace,
    invited_by: User | None,
    domain: str,
    use_https: bool,
) -> None:
    """The password-reset mail with invitation wording, in the workspace's language."""
    form = PasswordResetForm({"email": email})
    if not form.is_valid():
        return
    with translation.override(workspace.language):
        form.save(
            subject_template_name="registration/invitation_subject.txt",
            email_template_name="registration/invitation_email.txt",
            domain_override=domain,
            use_https=use_https,
            extra_email_context={"workspace": workspace, "invited_by": invited_by},
        )


@transaction.atomic
def membership_update(
    *, membership: Membership, role: str, team: Team | None, is_active: bool, actor: User
) -> Membership:
    if team is not None and team.workspace_id != membership.workspace_id:
        raise ApplicationError(_("Choose a team of this workspace."), field="team")
    if membership.user_id == actor.pk and (role != Role.ADMIN or not is_active):
        raise ApplicationError(
            _("You cannot remove your own administrator role; ask another administrator."),
            field="role",
        )
    membership.role, membership.team, membership.is_active = role, team, is_active
    membership.full_clean()
    membership.save()
    if not is_active:
        # tokens bound to this workspace die with the membership
        ApiToken.objects.filter(
            user=membership.user, workspace=membership.workspace, revoked_at__isnull=True
        ).update(revoked_at=timezone.now())
    return membership
