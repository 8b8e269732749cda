"""Account pages: the API token page's states, pagination and access; the shell's navigation."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from guanxi.users.services import MAX_ACTIVE_TOKENS, api_token_create, api_token_revoke
from guanxi.users.tests.factories import UserFactory
from guanxi.users.views import TOKENS_PER_PAGE
from guanxi.workspaces.choices import Role

pytestmark = pytest.mark.django_db


def test_the_token_page_needs_login():
    response = Client().get(reverse("users:tokens"))

    assert response["Location"] == f"{reverse('login')}?next={reverse('users:tokens')}"


def test_an_empty_token_page_says_so(admin, api_client):
    response = api_client(admin).get(reverse("users:tokens"))

    assert response.status_code == 200
    assert b"No tokens yet" in response.content
    assert response.context["form"].fields["workspace"].initial == admin.workspace.pk


def test_someone_without_a_workspace_cannot_create_tokens():
    client = Client()
    client.force_login(UserFactory())

    response = client.get(reverse("users:tokens"))

    assert response.status_code == 200
    assert b"not an active member of any workspace" in response.content
    assert b"Create token" not in response.content


def test_revoked_tokens_are_listed_after_active_ones(admin, api_client):
    old, _ = api_token_create(user=admin.user, workspace=admin.workspace, name="old")
    api_token_revoke(token=old)
    api_token_create(user=admin.user, workspace=admin.workspace, name="current")

    page = api_client(admin).get(reverse("users:tokens")).context["page"]

    assert [(t.name, t.is_active) for t in page.object_list] == [("current", True), ("old", False)]


def test_the_token_list_is_paginated(admin, api_client):
    for number in range(TOKENS_PER_PAGE + 1):
        token, _ = api_token_create(user=admin.user, workspace=admin.workspace, name=f"t{number}")
        api_token_revoke(token=token)
    client = api_client(admin)

    first = client.get(reverse("users:tokens")).context["page"]
    second = client.get(reverse("users:tokens"), {"page": 2}).context["page"]
    garbage = client.get(reverse("users:tokens"), {"page": "<x>"}).context["page"]

    assert (len(first.object_list), first.has_next, first.count) == (
        TOKENS_PER_PAGE,
        True,
        TOKENS_PER_PAGE + 1,
    )
    assert (len(second.object_list), second.has_next) == (1, False)
    assert garbage.number == 1


def test_too_many_active_tokens_is_a_form_error(admin, api_client):
    for number in range(MAX_ACTIVE_TOKENS):
        api_token_create(user=admin.user, workspace=admin.workspace, name=f"t{number}")

    response = api_client(admin).post(
        reverse("users:tokens"), {"name": "one more", "workspace": str(admin.workspace.pk)}
    )

    assert response.context["form"].errors == {
        "name": [f"At most {MAX_ACTIVE_TOKENS} active tokens; revoke one first."]
    }


@pytest.mark.parametrize(
    ("role", "links"),
    [
        (Role.ADMIN, {"audit:list": True, "workspaces:members": True}),
        (Role.SALES, {"audit:list": False, "workspaces:members": False}),
    ],
    ids=["admin", "sales"],
)
def test_the_navigation_shows_admin_links_to_admins_only(member, api_client, role, links):
    content = api_client(member(role)).get(reverse("home")).content.decode()

    assert {name: f'href="{reverse(name)}"' in content for name in links} == links


def test_the_shell_has_the_language_switcher_and_a_post_logout(admin, api_client):
    content = api_client(admin).get(reverse("home")).content.decode()

    assert f'action="{reverse("set_language")}"' in content
    assert 'value="zh-hans"' in content and 'value="en"' in content
    assert f'<form method="post" action="{reverse("logout")}">' in content


@pytest.mark.parametrize(
    ("language", "lang_attribute"),
    [("en", 'lang="en"'), ("zh-hans", 'lang="zh-hans"')],
    ids=["english", "chinese"],
)
def test_the_language_switch_sets_the_page_language(admin, api_client, language, lang_attribute):
    client = api_client(admin)

    response = client.post(
        reverse("set_language"), {"language": language, "next": "/"}, follow=True
    )

    assert response.status_code == 200
    assert f"<html {lang_attribute}>" in response.content.decode()
