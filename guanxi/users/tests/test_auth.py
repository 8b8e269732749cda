"""Login, lockout, session rotation, logout, password change and reset, deactivated users."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse

from guanxi.users.services import api_token_create, user_deactivate
from guanxi.users.tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-brand-new-passphrase-2026"


def log_in(client: Client, username: str, password: str = TEST_PASSWORD):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_login_page_renders_the_form():
    response = Client().get(reverse("login"))

    assert response.status_code == 200
    assert b'name="username"' in response.content
    assert b'name="password"' in response.content
    assert reverse("password_reset").encode() in response.content


def test_login_with_the_right_password_goes_home(admin):
    client = Client()

    response = log_in(client, admin.user.username)

    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert client.get(reverse("home")).status_code == 200


def test_login_follows_a_safe_next_and_ignores_another_host(admin):
    client = Client()

    response = client.post(
        reverse("login") + "?next=/workspace/members/",
        {"username": admin.user.username, "password": TEST_PASSWORD, "next": "/workspace/members/"},
    )
    other = Client().post(
        reverse("login"),
        {
            "username": admin.user.username,
            "password": TEST_PASSWORD,
            "next": "https://evil.example/",
        },
    )

    assert response["Location"] == "/workspace/members/"
    assert other["Location"] == reverse("home")


def test_wrong_password_shows_an_error_and_stays_anonymous(admin):
    client = Client()

    response = log_in(client, admin.user.username, "wrong-password")

    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert "_auth_user_id" not in client.session


def test_lockout_after_the_failure_limit_even_with_the_right_password(admin):
    client = Client()
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        assert log_in(client, admin.user.username, "wrong-password").status_code == 200

    locked = log_in(client, admin.user.username, "wrong-password")
    still_locked = log_in(client, admin.user.username)

    assert locked.status_code == 429
    assert "registration/locked_out.html" in [t.name for t in locked.templates]
    assert b"15" in locked.content  # the cool-off, in minutes
    assert still_locked.status_code == 429
    assert "_auth_user_id" not in client.session


def test_lockout_is_per_username(admin, member):
    other = member()
    client = Client()
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, admin.user.username, "wrong-password")

    response = log_in(client, other.user.username)

    assert response.status_code == 302


def test_session_key_changes_at_login(admin):
    client = Client()
    session = client.session
    session["before_login"] = "x"
    session.save()
    key_before = session.session_key
    client.cookies[settings.SESSION_COOKIE_NAME] = key_before

    log_in(client, admin.user.username)

    assert client.session.session_key != key_before
    assert client.session["before_login"] == "x"  # rotated, not emptied


def test_logout_is_post_only_and_ends_the_session(admin):
    client = Client()
    client.force_login(admin.user)

    refused = client.get(reverse("logout"))
    response = client.post(reverse("logout"), follow=True)

    assert refused.status_code == 405
    assert response.redirect_chain[0] == (reverse("login"), 302)
    assert "You have been logged out." in [str(m) for m in response.context["messages"]]
    assert client.get(reverse("home"))["Location"].startswith(reverse("login"))


def test_anonymous_users_are_sent_to_login():
    response = Client().get(reverse("home"))

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next=/"


def test_password_change_keeps_this_session_and_the_new_password_works(admin):
    client = Client()
    client.force_login(admin.user)

    response = client.post(
        reverse("password_change"),
        {
            "old_password": TEST_PASSWORD,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )

    assert response["Location"] == reverse("password_change_done")
    assert client.get(reverse("home")).status_code == 200
    assert log_in(Client(), admin.user.username, NEW_PASSWORD).status_code == 302


def test_password_change_ends_other_sessions(admin):
    other_device = Client()
    other_device.force_login(admin.user)
    client = Client()
    client.force_login(admin.user)

    client.post(
        reverse("password_change"),
        {
            "old_password": TEST_PASSWORD,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )

    assert other_device.get(reverse("home")).status_code == 302


def test_password_change_with_a_wrong_old_password_changes_nothing(admin):
    client = Client()
    client.force_login(admin.user)

    response = client.post(
        reverse("password_change"),
        {"old_password": "nope", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert response.status_code == 200
    assert "old_password" in response.context["form"].errors
    admin.user.refresh_from_db()
    assert admin.user.check_password(TEST_PASSWORD)


def reset_link(body: str) -> str:
    return re.search(r"https?://[^/\s]+(/accounts/reset/\S+/)", body).group(1)


def test_password_reset_sends_a_working_link(admin):
    client = Client()

    response = client.post(reverse("password_reset"), {"email": admin.user.email})

    assert response["Location"] == reverse("password_reset_done")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [admin.user.email]
    link = reset_link(mail.outbox[0].body)
    form_page = client.get(link, follow=True)
    assert form_page.context["validlink"] is True
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert done["Location"] == reverse("password_reset_complete")
    assert log_in(Client(), admin.user.username, NEW_PASSWORD).status_code == 302
    # the link works once
    assert client.get(link, follow=True).context["validlink"] is False


@pytest.mark.parametrize(
    "email", ["nobody@example.com", "<script>@x", ""], ids=["unknown", "hostile", "empty"]
)
def test_password_reset_for_unknown_addresses_sends_nothing(email):
    response = Client().post(reverse("password_reset"), {"email": email})

    assert response.status_code in (200, 302)
    assert mail.outbox == []


def test_password_reset_sends_nothing_to_a_deactivated_user(admin):
    user_deactivate(user=admin.user)

    Client().post(reverse("password_reset"), {"email": admin.user.email})

    assert mail.outbox == []


def test_deactivated_user_session_and_token_die_on_the_next_request(admin, api_client):
    client = Client()
    client.force_login(admin.user)
    _token, key = api_token_create(user=admin.user, workspace=admin.workspace, name="sync")
    assert client.get(reverse("home")).status_code == 200

    user_deactivate(user=admin.user)

    assert client.get(reverse("home"))["Location"].startswith(reverse("login"))
    api = api_client()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get("/api/v1/contacts/").status_code == 401


def test_deactivated_user_cannot_log_in(admin):
    user_deactivate(user=admin.user)
    client = Client()

    response = log_in(client, admin.user.username)

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_user_without_workspace_sees_the_no_workspace_page():
    client = Client()
    client.force_login(UserFactory())

    response = client.get(reverse("home"))

    assert response.status_code == 200
    assert "core/no_workspace.html" in [t.name for t in response.templates]
