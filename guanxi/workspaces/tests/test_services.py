"""Tenancy services: inviting and adding members, changing them, teams, workspace settings."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client

from guanxi.core.errors import ApplicationError
from guanxi.users.models import ApiToken, User
from guanxi.users.services import api_token_create
from guanxi.users.tests.factories import UserFactory
from guanxi.workspaces.choices import Role
from guanxi.workspaces.models import Membership
from guanxi.workspaces.services import (
    member_add,
    membership_update,
    team_create,
    workspace_update,
)
from guanxi.workspaces.tests.factories import TeamFactory

pytestmark = pytest.mark.django_db


def invite(workspace, email="new.person@example.com", **kwargs):
    return member_add(
        workspace=workspace, email=email, role=kwargs.pop("role", Role.SALES), **kwargs
    )


def test_inviting_a_new_email_creates_the_user_and_mails_a_working_link(
    workspace, admin, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        membership = invite(
            workspace, " New.Person@Example.com ", invited_by=admin.user, domain="crm.example.cn"
        )

    user = membership.user
    assert (user.username, user.email, membership.role) == (
        "new.person@example.com",
        "new.person@example.com",
        Role.SALES,
    )
    assert user.has_usable_password()  # random: only the link can set it
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["new.person@example.com"]
    assert workspace.name in message.subject
    assert str(admin.user) in message.body
    path = re.search(r"http://crm\.example\.cn(/accounts/reset/\S+/)", message.body).group(1)
    client = Client()
    form_page = client.get(path, follow=True)
    assert form_page.context["validlink"] is True
    client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "my-own-passphrase-99", "new_password2": "my-own-passphrase-99"},
    )
    user.refresh_from_db()
    assert user.check_password("my-own-passphrase-99")


def test_the_invitation_is_in_the_workspaces_language(
    workspace, django_capture_on_commit_callbacks
):
    workspace.language = "en"
    workspace.save()

    with django_capture_on_commit_callbacks(execute=True):
        invite(workspace)

    assert mail.outbox[0].subject == f"You are invited to {workspace.name} on Guanxi CRM"


def test_adding_an_existing_user_sends_no_invitation(
    workspace, other_workspace, django_capture_on_commit_callbacks
):
    existing = UserFactory(email="li.na@example.com")

    with django_capture_on_commit_callbacks(execute=True):
        membership = invite(workspace, "LI.NA@example.com", role=Role.VIEWER)

    assert membership.user == existing
    assert mail.outbox == []
    assert User.objects.filter(email__iexact="li.na@example.com").count() == 1


def test_invite_false_creates_the_user_without_mail(workspace, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invite(workspace, invite=False)

    assert mail.outbox == []


def test_nobody_is_added_twice(workspace):
    invite(workspace)

    with pytest.raises(ApplicationError) as error:
        invite(workspace, "NEW.person@example.com")

    assert error.value.field == "email"
    assert error.value.message == "new.person@example.com is already a member of this workspace."
    assert Membership.objects.filter(workspace=workspace).count() == 1


def test_a_deactivated_member_is_pointed_to_reactivation(workspace, admin):
    membership = invite(workspace)
    membership_update(
        membership=membership, role=Role.SALES, team=None, is_active=False, actor=admin.user
    )

    with pytest.raises(ApplicationError, match="deactivated member; reactivate them"):
        invite(workspace)


def test_the_same_person_may_join_another_workspace(workspace, other_workspace):
    first = invite(workspace)

    second = invite(other_workspace)

    assert first.user == second.user


def test_a_team_of_another_workspace_is_refused(workspace, other_workspace):
    with pytest.raises(ApplicationError, match=r"Choose a team of this workspace\."):
        invite(workspace, team=TeamFactory(workspace=other_workspace))

    assert not User.objects.filter(email="new.person@example.com").exists()


@pytest.mark.parametrize(
    ("email", "role"),
    [
        ("not-an-email", Role.SALES),
        ("ok@example.com", "superuser"),
        ("x" * 250 + "@a.cn", Role.SALES),
    ],
    ids=["bad-email", "unknown-role", "too-long"],
)
def test_invalid_input_writes_nothing(workspace, email, role):
    with pytest.raises(ValidationError):
        invite(workspace, email, role=role)

    assert not Membership.objects.filter(workspace=workspace).exists()
    assert not User.objects.exists()


def test_nobody_can_demote_themselves(admin):
    with pytest.raises(ApplicationError, match="cannot remove your own administrator role"):
        membership_update(
            membership=admin, role=Role.SALES, team=None, is_active=True, actor=admin.user
        )

    admin.refresh_from_db()
    assert admin.role == Role.ADMIN


def test_nobody_can_deactivate_themselves(admin):
    with pytest.raises(ApplicationError):
        membership_update(
            membership=admin, role=Role.ADMIN, team=None, is_active=False, actor=admin.user
        )

    admin.refresh_from_db()
    assert admin.is_active is True


def test_deactivation_revokes_that_workspaces_tokens_only(admin, member, other_workspace):
    sales = member(Role.SALES)
    Membership.objects.create(workspace=other_workspace, user=sales.user, role=Role.SALES)
    here, _ = api_token_create(user=sales.user, workspace=sales.workspace, name="here")
    elsewhere, _ = api_token_create(user=sales.user, workspace=other_workspace, name="elsewhere")

    membership_update(
        membership=sales, role=Role.SALES, team=None, is_active=False, actor=admin.user
    )

    assert ApiToken.objects.get(pk=here.pk).revoked_at is not None
    assert ApiToken.objects.get(pk=elsewhere.pk).revoked_at is None


def test_role_and_team_changes_are_saved_and_audited(admin, member, workspace):
    from guanxi.audit.models import AuditEvent

    sales = member(Role.SALES)
    team = team_create(workspace=workspace, name="华东销售")

    membership_update(
        membership=sales, role=Role.MANAGER, team=team, is_active=True, actor=admin.user
    )

    sales.refresh_from_db()
    assert (sales.role, sales.team) == (Role.MANAGER, team)
    event = AuditEvent.objects.filter(object_id=str(sales.pk), action="update").get()
    assert event.changes == {"role": ["sales", "manager"], "team": [None, str(team.pk)]}


def test_team_names_are_trimmed_and_unique_per_workspace(workspace, other_workspace):
    team = team_create(workspace=workspace, name="  华东销售 ")
    team_create(workspace=other_workspace, name="华东销售")

    with pytest.raises(ApplicationError) as error:
        team_create(workspace=workspace, name="华东销售")

    assert team.name == "华东销售"
    assert error.value.field == "name"


def test_workspace_settings_are_updated(workspace):
    workspace_update(
        workspace=workspace,
        data={"name": "新名字", "currency": "USD", "time_zone": "Europe/Berlin", "language": "en"},
    )

    workspace.refresh_from_db()
    assert (workspace.name, workspace.currency, workspace.time_zone, workspace.language) == (
        "新名字",
        "USD",
        "Europe/Berlin",
        "en",
    )


@pytest.mark.parametrize(
    "data",
    [{"time_zone": "Mars/Olympus"}, {"currency": "XXX"}, {"name": ""}],
    ids=["time-zone", "currency", "empty-name"],
)
def test_invalid_workspace_settings_are_refused(workspace, data):
    with pytest.raises(ValidationError):
        workspace_update(workspace=workspace, data=data)

    workspace.refresh_from_db()
    assert (workspace.time_zone, workspace.currency) == ("Asia/Shanghai", "CNY")
