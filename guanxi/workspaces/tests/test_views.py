"""Workspace pages: home, switching, settings, members and teams; admins only where it says so."""

from __future__ import annotations

import uuid

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from guanxi.companies.tests.factories import CompanyFactory
from guanxi.contacts.tests.factories import ContactFactory
from guanxi.users.tests.factories import UserFactory
from guanxi.workspaces.choices import Role
from guanxi.workspaces.middleware import SESSION_KEY
from guanxi.workspaces.models import Membership, Team
from guanxi.workspaces.selectors import HOME_COUNT_CAP, home_counts
from guanxi.workspaces.tests.factories import MembershipFactory, TeamFactory

pytestmark = pytest.mark.django_db

ADMIN_PAGES = [
    ("workspaces:settings", "get"),
    ("workspaces:settings", "post"),
    ("workspaces:members", "get"),
    ("workspaces:members", "post"),
    ("workspaces:teams", "get"),
    ("workspaces:teams", "post"),
]
NON_ADMIN_ROLES = [Role.MANAGER, Role.SALES, Role.MARKETING, Role.SERVICE, Role.VIEWER]


# --- home -----------------------------------------------------------------------------------
def test_home_counts_what_the_member_may_see(workspace, member, api_client):
    sales = member(Role.SALES)
    ContactFactory(workspace=workspace, owner=sales.user)
    ContactFactory.create_batch(2, workspace=workspace, owner=member(Role.SALES).user)
    CompanyFactory(workspace=workspace, owner=sales.user)
    ContactFactory(workspace=MembershipFactory().workspace)

    response = api_client(sales).get(reverse("home"))

    assert response.status_code == 200
    assert response.context["counts"] == {"companies": 1, "contacts": 1}


def test_home_counts_stop_at_the_cap(workspace, admin, monkeypatch):
    monkeypatch.setattr("guanxi.workspaces.selectors.HOME_COUNT_CAP", 2)
    ContactFactory.create_batch(3, workspace=workspace)

    assert home_counts(admin)["contacts"] == 2
    assert HOME_COUNT_CAP == 10_000


def test_an_empty_workspace_home_invites_to_start(admin, api_client):
    response = api_client(admin).get(reverse("home"))

    assert b"Nothing here yet" in response.content


def test_home_escapes_the_workspace_and_user_names(member, api_client):
    membership = member(Role.ADMIN)
    membership.workspace.name = "<b>ws</b>"
    membership.workspace.save()
    membership.user.display_name = "<script>x</script>"
    membership.user.save()

    content = api_client(membership).get(reverse("home")).content

    assert b"<script>x</script>" not in content
    assert b"<b>ws</b>" not in content


def test_a_deactivated_member_without_other_workspaces_sees_the_no_workspace_page(
    admin, api_client
):
    client = api_client(admin)
    Membership.objects.filter(pk=admin.pk).update(is_active=False)

    response = client.get(reverse("home"))

    assert response.templates[0].name == "core/no_workspace.html"


def test_pages_that_need_a_workspace_tell_others_they_have_none():
    client = Client()
    client.force_login(UserFactory())

    response = client.get(reverse("workspaces:members"))

    assert response.status_code == 403
    assert response.templates[0].name == "core/no_workspace.html"


# --- switching ------------------------------------------------------------------------------
def test_switching_to_an_own_workspace(admin, other_workspace, api_client):
    Membership.objects.create(workspace=other_workspace, user=admin.user, role=Role.VIEWER)
    client = api_client(admin)

    response = client.post(reverse("workspaces:switch"), {"workspace": str(other_workspace.pk)})

    assert response["Location"] == reverse("home")
    assert client.session[SESSION_KEY] == str(other_workspace.pk)
    home = client.get(reverse("home"))
    assert home.context["current_workspace"] == other_workspace
    assert home.context["current_membership"].role == Role.VIEWER


@pytest.mark.parametrize(
    "target", ["stranger", "deactivated", "garbage", "random"], ids=lambda t: t
)
def test_switching_elsewhere_is_404_and_changes_nothing(admin, other_workspace, api_client, target):
    if target == "deactivated":
        Membership.objects.create(
            workspace=other_workspace, user=admin.user, role=Role.ADMIN, is_active=False
        )
    value = {
        "stranger": str(other_workspace.pk),
        "deactivated": str(other_workspace.pk),
        "garbage": "<script>",
        "random": str(uuid.uuid4()),
    }[target]
    client = api_client(admin)

    response = client.post(reverse("workspaces:switch"), {"workspace": value})

    assert response.status_code == 404
    assert client.session[SESSION_KEY] == str(admin.workspace_id)


def test_switching_is_post_only(admin, api_client):
    assert api_client(admin).get(reverse("workspaces:switch")).status_code == 405


def test_the_switcher_lists_only_active_workspaces(admin, other_workspace, api_client):
    third = MembershipFactory(user=admin.user, is_active=False).workspace
    Membership.objects.create(workspace=other_workspace, user=admin.user, role=Role.SALES)

    content = api_client(admin).get(reverse("home")).content.decode()

    assert f'value="{other_workspace.pk}"' in content
    assert f'value="{third.pk}"' not in content


# --- permissions ----------------------------------------------------------------------------
@pytest.mark.parametrize("role", NON_ADMIN_ROLES)
@pytest.mark.parametrize(("name", "method"), ADMIN_PAGES, ids=[f"{n}-{m}" for n, m in ADMIN_PAGES])
def test_non_admins_get_403(member, api_client, role, name, method):
    membership = member(role)

    response = getattr(api_client(membership), method)(reverse(name), {"name": "x"})

    assert response.status_code == 403
    assert response.templates[0].name == "core/forbidden.html"
    assert not Team.objects.exists()


@pytest.mark.parametrize("role", NON_ADMIN_ROLES)
def test_non_admins_cannot_touch_members(member, admin, api_client, role):
    client = api_client(member(role))

    responses = [
        client.post(reverse("workspaces:member_edit", args=[admin.pk]), {"role": Role.VIEWER}),
        client.post(reverse("workspaces:member_deactivate", args=[admin.pk])),
    ]

    admin.refresh_from_db()
    assert [r.status_code for r in responses] == [403, 403]
    assert (admin.role, admin.is_active) == (Role.ADMIN, True)


def test_members_of_another_workspace_are_404(admin, api_client):
    stranger = MembershipFactory(role=Role.SALES)
    client = api_client(admin)

    responses = [
        client.get(reverse("workspaces:member_edit", args=[stranger.pk])),
        client.post(reverse("workspaces:member_deactivate", args=[stranger.pk])),
        client.post(reverse("workspaces:member_reactivate", args=[stranger.pk])),
    ]

    stranger.refresh_from_db()
    assert [r.status_code for r in responses] == [404, 404, 404]
    assert stranger.is_active is True


# --- settings -------------------------------------------------------------------------------
def test_settings_show_and_save(admin, api_client):
    client = api_client(admin)
    initial = client.get(reverse("workspaces:settings")).context["form"].initial

    response = client.post(
        reverse("workspaces:settings"),
        {
            "name": "关系二号",
            "currency": "USD",
            "time_zone": "Asia/Hong_Kong",
            "language": "zh-hans",
        },
        follow=True,
    )

    admin.workspace.refresh_from_db()
    assert initial == {
        "name": "上海关系科技",
        "currency": "CNY",
        "time_zone": "Asia/Shanghai",
        "language": "en",
    }
    assert (
        admin.workspace.name,
        admin.workspace.time_zone,
        admin.workspace.currency,
        admin.workspace.language,
    ) == (
        "关系二号",
        "Asia/Hong_Kong",
        "USD",
        "zh-hans",
    )
    assert "Workspace settings saved." in [str(m) for m in response.context["messages"]]


@pytest.mark.parametrize(
    ("field", "value"),
    [("time_zone", "Mars/Olympus"), ("currency", "BTC"), ("name", ""), ("name", "x" * 121)],
    ids=["time-zone", "currency", "empty-name", "long-name"],
)
def test_invalid_settings_are_form_errors(admin, api_client, field, value):
    data = {"name": "ok", "currency": "CNY", "time_zone": "Asia/Shanghai", "language": "en"}

    response = api_client(admin).post(reverse("workspaces:settings"), {**data, field: value})

    admin.workspace.refresh_from_db()
    assert list(response.context["form"].errors) == [field]
    assert admin.workspace.name == "上海关系科技"


# --- members --------------------------------------------------------------------------------
def test_the_member_list_shows_this_workspace_only(admin, member, api_client):
    sales = member(Role.SALES)
    MembershipFactory()

    page = api_client(admin).get(reverse("workspaces:members")).context["page"]

    assert {m.pk for m in page.object_list} == {admin.pk, sales.pk}


def test_inviting_from_the_members_page(
    admin, workspace, api_client, django_capture_on_commit_callbacks
):
    team = TeamFactory(workspace=workspace)

    with django_capture_on_commit_callbacks(execute=True):
        response = api_client(admin).post(
            reverse("workspaces:members"),
            {"email": "new@example.com", "role": Role.MANAGER, "team": str(team.pk)},
            follow=True,
        )

    membership = Membership.objects.get(workspace=workspace, user__email="new@example.com")
    assert (membership.role, membership.team) == (Role.MANAGER, team)
    assert "new@example.com was added." in [str(m) for m in response.context["messages"]]
    assert len(mail.outbox) == 1
    assert "http://testserver/accounts/reset/" in mail.outbox[0].body


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"email": "<script>alert(1)</script>", "role": Role.SALES}, "email"),
        ({"email": "a@example.com", "role": "root"}, "role"),
        ({"email": "a@example.com", "role": Role.SALES, "team": "not-a-uuid"}, "team"),
    ],
    ids=["hostile-email", "unknown-role", "bad-team"],
)
def test_bad_invitations_are_form_errors(admin, api_client, data, field):
    response = api_client(admin).post(reverse("workspaces:members"), data)

    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert Membership.objects.count() == 1


def test_a_team_of_another_workspace_is_not_a_choice(admin, api_client):
    foreign = TeamFactory()

    response = api_client(admin).post(
        reverse("workspaces:members"),
        {"email": "a@example.com", "role": Role.SALES, "team": str(foreign.pk)},
    )

    assert "team" in response.context["form"].errors
    assert not Membership.objects.filter(user__email="a@example.com").exists()


def test_inviting_a_member_twice_shows_why(admin, api_client):
    response = api_client(admin).post(
        reverse("workspaces:members"), {"email": admin.user.email.upper(), "role": Role.SALES}
    )

    assert response.context["form"].errors == {
        "email": [f"{admin.user.email} is already a member of this workspace."]
    }


def test_editing_role_and_team(admin, member, workspace, api_client):
    sales = member(Role.SALES)
    team = TeamFactory(workspace=workspace)

    response = api_client(admin).post(
        reverse("workspaces:member_edit", args=[sales.pk]),
        {"role": Role.MANAGER, "team": str(team.pk)},
    )

    sales.refresh_from_db()
    assert response["Location"] == reverse("workspaces:members")
    assert (sales.role, sales.team) == (Role.MANAGER, team)


def test_demoting_yourself_is_refused_on_the_form(admin, api_client):
    response = api_client(admin).post(
        reverse("workspaces:member_edit", args=[admin.pk]), {"role": Role.VIEWER}
    )

    admin.refresh_from_db()
    assert response.status_code == 200
    assert "role" in response.context["form"].errors
    assert admin.role == Role.ADMIN


def test_deactivation_asks_first_then_the_member_loses_access(admin, member, api_client):
    sales = member(Role.SALES)
    their_client = api_client(sales)
    client = api_client(admin)
    url = reverse("workspaces:member_deactivate", args=[sales.pk])

    confirm = client.get(url)
    sales.refresh_from_db()
    assert confirm.status_code == 200
    assert sales.is_active is True

    response = client.post(url, follow=True)

    sales.refresh_from_db()
    assert sales.is_active is False
    assert f"{sales.user} was deactivated." in [str(m) for m in response.context["messages"]]
    assert their_client.get(reverse("home")).templates[0].name == "core/no_workspace.html"


def test_deactivating_yourself_shows_an_error(admin, api_client):
    response = api_client(admin).post(
        reverse("workspaces:member_deactivate", args=[admin.pk]), follow=True
    )

    admin.refresh_from_db()
    assert admin.is_active is True
    assert [m.level_tag for m in response.context["messages"]] == ["error"]


def test_reactivation(admin, member, api_client):
    sales = member(Role.SALES)
    Membership.objects.filter(pk=sales.pk).update(is_active=False)
    client = api_client(admin)

    refused = client.get(reverse("workspaces:member_reactivate", args=[sales.pk]))
    client.post(reverse("workspaces:member_reactivate", args=[sales.pk]))

    sales.refresh_from_db()
    assert refused.status_code == 405
    assert sales.is_active is True


def test_the_member_list_query_count_does_not_grow_with_members(
    admin, member, workspace, api_client, django_assert_max_num_queries
):
    team = TeamFactory(workspace=workspace)
    for _ in range(5):
        member(Role.SALES, team=team)
    client = api_client(admin)
    client.get(reverse("workspaces:members"))  # warm the session

    with django_assert_max_num_queries(12):
        client.get(reverse("workspaces:members"))


# --- teams ----------------------------------------------------------------------------------
def test_creating_and_listing_teams(admin, member, workspace, api_client):
    client = api_client(admin)

    created = client.post(reverse("workspaces:teams"), {"name": "华东销售"})
    team = Team.objects.get(workspace=workspace)
    member(Role.SALES, team=team)
    page = client.get(reverse("workspaces:teams"))

    assert created["Location"] == reverse("workspaces:teams")
    assert [(t.name, t.member_count) for t in page.context["teams"]] == [("华东销售", 1)]


def test_a_duplicate_team_name_is_a_form_error(admin, workspace, api_client):
    TeamFactory(workspace=workspace, name="华东销售")

    response = api_client(admin).post(reverse("workspaces:teams"), {"name": " 华东销售 "})

    assert response.context["form"].errors == {"name": ["A team named “华东销售” already exists."]}


def test_no_teams_yet_says_so(admin, api_client):
    assert b"No teams yet" in api_client(admin).get(reverse("workspaces:teams")).content
