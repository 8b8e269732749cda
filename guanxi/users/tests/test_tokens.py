"""Personal API tokens: shown once, hashed at rest, revocable, bound to one workspace and role."""

from __future__ import annotations

import hashlib

import pytest
from django.urls import reverse
from django.utils import timezone

from guanxi.contacts.tests.factories import ContactFactory
from guanxi.users.models import ApiToken
from guanxi.users.services import api_token_create
from guanxi.workspaces.choices import Role
from guanxi.workspaces.models import Membership
from guanxi.workspaces.services import membership_update

pytestmark = pytest.mark.django_db

CONTACTS = "/api/v1/contacts/"


def token_client(api_client, key: str):
    client = api_client()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def create_in_ui(client, workspace, name: str = "ERP sync"):
    return client.post(reverse("users:tokens"), {"name": name, "workspace": str(workspace.pk)})


def test_a_created_key_is_shown_once_and_stored_hashed(admin, api_client):
    client = api_client(admin)

    response = create_in_ui(client, admin.workspace)

    key = response.context["new_key"]
    token = ApiToken.objects.get(user=admin.user)
    assert response.status_code == 200
    assert key.encode() in response.content
    assert "no-store" in response["Cache-Control"]
    assert token.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert key not in {token.key_hash, token.prefix, token.name}
    assert key.startswith(token.prefix)
    assert key.encode() not in client.get(reverse("users:tokens")).content


def test_the_new_key_authenticates_against_the_api(admin, api_client):
    key = create_in_ui(api_client(admin), admin.workspace).context["new_key"]

    response = token_client(api_client, key).get(CONTACTS)

    assert response.status_code == 200
    assert ApiToken.objects.get(user=admin.user).last_used_at is not None


def test_revoking_in_the_ui_asks_first_then_the_key_is_refused(admin, api_client):
    client = api_client(admin)
    token, key = api_token_create(user=admin.user, workspace=admin.workspace, name="sync")
    url = reverse("users:token_revoke", args=[token.pk])

    confirm = client.get(url)
    token.refresh_from_db()
    assert confirm.status_code == 200
    assert token.revoked_at is None

    response = client.post(url)

    token.refresh_from_db()
    assert response["Location"] == reverse("users:tokens")
    assert token.revoked_at is not None
    assert token_client(api_client, key).get(CONTACTS).status_code == 401


def test_nobody_can_revoke_someone_elses_token(admin, member, api_client):
    token, key = api_token_create(user=admin.user, workspace=admin.workspace, name="sync")
    intruder = api_client(member(Role.ADMIN))

    response = intruder.post(reverse("users:token_revoke", args=[token.pk]))

    token.refresh_from_db()
    assert response.status_code == 404
    assert token.revoked_at is None
    assert token_client(api_client, key).get(CONTACTS).status_code == 200


def test_a_token_cannot_be_created_for_a_workspace_one_is_not_in(
    admin, other_workspace, api_client
):
    response = create_in_ui(api_client(admin), other_workspace)

    assert response.status_code == 200
    assert "workspace" in response.context["form"].errors
    assert not ApiToken.objects.exists()


@pytest.mark.parametrize("name", ["", "   ", "x" * 81], ids=["empty", "blank", "too-long"])
def test_a_token_needs_a_sensible_name(admin, api_client, name):
    response = create_in_ui(api_client(admin), admin.workspace, name)

    assert "name" in response.context["form"].errors
    assert not ApiToken.objects.exists()


def test_token_names_are_escaped(admin, api_client):
    client = api_client(admin)
    create_in_ui(client, admin.workspace, "<script>alert(1)</script>")

    content = client.get(reverse("users:tokens")).content

    assert b"<script>alert(1)</script>" not in content
    assert b"&lt;script&gt;alert(1)&lt;/script&gt;" in content


def test_the_list_shows_only_ones_own_tokens(admin, member, api_client):
    api_token_create(user=admin.user, workspace=admin.workspace, name="mine")
    other = member(Role.SALES)
    api_token_create(user=other.user, workspace=other.workspace, name="theirs")

    page = api_client(admin).get(reverse("users:tokens"))

    assert [t.name for t in page.context["page"].object_list] == ["mine"]


def test_a_token_of_a_deactivated_membership_is_refused(admin, member, api_client):
    sales = member(Role.SALES)
    _token, key = api_token_create(user=sales.user, workspace=sales.workspace, name="sync")

    membership_update(
        membership=sales, role=sales.role, team=None, is_active=False, actor=admin.user
    )

    assert token_client(api_client, key).get(CONTACTS).status_code == 401


def test_a_token_is_refused_when_its_membership_ends_even_if_not_revoked(
    member, other_workspace, api_client
):
    # the user is still active in another workspace: the token must not fall back to it
    sales = member(Role.SALES)
    Membership.objects.create(workspace=other_workspace, user=sales.user, role=Role.ADMIN)
    _token, key = api_token_create(user=sales.user, workspace=sales.workspace, name="sync")
    Membership.objects.filter(pk=sales.pk).update(is_active=False)

    response = token_client(api_client, key).get(CONTACTS)

    assert response.status_code == 401


def test_a_token_sees_only_its_own_workspace(admin, other_workspace, api_client):
    Membership.objects.create(workspace=other_workspace, user=admin.user, role=Role.ADMIN)
    mine = ContactFactory(workspace=admin.workspace, owner=admin.user)
    ContactFactory(workspace=other_workspace, owner=admin.user)
    _token, key = api_token_create(user=admin.user, workspace=admin.workspace, name="sync")
    client = token_client(api_client, key)
    # the session's chosen workspace plays no part for a token
    session_client = api_client(Membership.objects.get(workspace=other_workspace, user=admin.user))

    ids = [row["id"] for row in client.get(CONTACTS).json()["results"]]

    assert ids == [str(mine.pk)]
    assert session_client.get(CONTACTS).json()["results"][0]["id"] != str(mine.pk)


def test_a_token_acts_with_the_members_current_role(admin, member, api_client):
    viewer = member(Role.VIEWER)
    _token, key = api_token_create(user=viewer.user, workspace=viewer.workspace, name="sync")
    client = token_client(api_client, key)

    refused = client.post(CONTACTS, {"name": "新客户"}, format="json")
    membership_update(
        membership=viewer, role=Role.SALES, team=None, is_active=True, actor=admin.user
    )
    allowed = client.post(CONTACTS, {"name": "新客户"}, format="json")

    assert refused.status_code == 403
    assert allowed.status_code == 201


@pytest.mark.parametrize(
    "header",
    ["Token", "Token a b", "Token gx_not-a-real-key", "Bearer gx_not-a-real-key", "Token \xff"],
    ids=["no-key", "two-parts", "unknown", "bearer-unknown", "not-ascii"],
)
def test_malformed_or_unknown_tokens_get_401(admin, api_client, header):
    client = api_client()
    client.credentials(HTTP_AUTHORIZATION=header)

    assert client.get(CONTACTS).status_code == 401


def test_a_revoked_token_stays_revoked_when_the_membership_returns(admin, member, api_client):
    sales = member(Role.SALES)
    _token, key = api_token_create(user=sales.user, workspace=sales.workspace, name="sync")
    membership_update(
        membership=sales, role=sales.role, team=None, is_active=False, actor=admin.user
    )

    membership_update(
        membership=sales, role=sales.role, team=None, is_active=True, actor=admin.user
    )

    assert token_client(api_client, key).get(CONTACTS).status_code == 401
    assert ApiToken.objects.get(user=sales.user).revoked_at <= timezone.now()
