"""Writes about tenancy: workspaces, teams, and adding / changing / deactivating members."""

from __future__ import annotations

import secrets

from django.contrib.auth.forms import PasswordResetForm
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guanxi.core.errors import ApplicationError
from guanxi.users.models import ApiToken, User
from guanxi.workspaces.choices import Role
from guanxi.workspaces.models import Membership, Team, Workspace


@transaction.atomic
def workspace_create(*, name: str, slug: str, admin: User, **settings: str) -> Workspace:
    workspace = Workspace(name=name, slug=slug, **settings)
    workspace.full_clean()
    workspace.save()
    Membership.objects.create(workspace=workspace, user=admin, role=Role.ADMIN)
    return workspace


@transaction.atomic
def team_create(*, workspace: Workspace, name: str) -> Team:
    team = Team(workspace=workspace, name=name.strip())
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
) -> Membership:
    """Adds an existing user by email, or creates one and emails a link to set a password."""
    if team is not None and team.workspace_id != workspace.pk:
        raise ApplicationError(_("Choose a team of this workspace."), field="team")
    email = email.strip().lower()
    user = User.objects.filter(email__iexact=email).first()
    created = user is None
    if created:
        user = User(username=username.strip() or email, email=email)
        # a random password nobody knows: the invitation's reset link lets the person set theirs
        user.set_password(secrets.token_urlsafe(32))
        user.full_clean()
        user.save()
    membership, made = Membership.objects.get_or_create(
        workspace=workspace, user=user, defaults={"role": role, "team": team}
    )
    if not made:
        raise ApplicationError(
            _("%(email)s is already a member of this workspace.") % {"email": email}, field="email"
        )
    membership.full_clean()
    if created and invite:
        transaction.on_commit(lambda: send_invitation(email))
    return membership


def send_invitation(email: str) -> None:
    form = PasswordResetForm({"email": email})
    if form.is_valid():
        form.save(
            subject_template_name="registration/invitation_subject.txt",
            email_template_name="registration/invitation_email.txt",
            domain_override=None,
            use_https=False,
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
