"""Notifications: sending (idempotent by key, local links only), the unread badge, the inbox
page and the API — always the member's own, in the current workspace."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from guanxi.core.testing_views import ui_client
from guanxi.notifications.models import Notification
from guanxi.notifications.selectors import UNREAD_COUNT_CAP, unread_count
from guanxi.notifications.services import (
    NotificationDraft,
    notifications_mark_all_read,
    notifications_send,
    notify,
)
from guanxi.notifications.tests.factories import NotificationFactory
from guanxi.workspaces.choices import Role

pytestmark = pytest.mark.django_db
API = "/api/v1/notifications/"


# --- services -------------------------------------------------------------------------------
def test_notify_with_a_key_sends_once(admin):
    first = notify(
        recipient=admin.user, workspace=admin.workspace, title="任务已分配", url="/x/", key="k1"
    )
    again = notify(
        recipient=admin.user, workspace=admin.workspace, title="任务已分配", url="/x/", key="k1"
    )
    assert first is not None and again is None
    assert Notification.objects.get().title == "任务已分配"


def test_notify_without_a_key_always_sends(admin):
    for _ in range(2):
        notify(recipient=admin.user, workspace=admin.workspace, title="t")
    assert Notification.objects.count() == 2


@pytest.mark.parametrize(
    "url", ["https://evil.example/", "//evil.example/", "javascript:alert(1)", "/\\evil"], ids=str
)
def test_links_outside_the_site_are_refused(url, admin):
    with pytest.raises(ValidationError):
        notify(recipient=admin.user, workspace=admin.workspace, title="t", url=url)
    assert not Notification.objects.exists()


def test_bulk_send_skips_keys_already_sent(admin, member):
    other = member(Role.SALES)

    def drafts():
        return [
            NotificationDraft(m.user_id, m.workspace_id, "t", key="same") for m in (admin, other)
        ]

    assert len(notifications_send(drafts=drafts())) == 2
    assert notifications_send(drafts=drafts()) == []
    assert Notification.objects.count() == 2


def test_long_text_is_cut_to_the_columns(admin):
    notification = notify(
        recipient=admin.user, workspace=admin.workspace, title="字" * 500, body="字" * 5000
    )
    assert (len(notification.title), len(notification.body)) == (200, 2000)


def test_unread_count_is_own_unread_in_this_workspace_and_capped(admin, member, other_workspace):
    NotificationFactory.create_batch(3, workspace=admin.workspace, recipient=admin.user)
    NotificationFactory(
        workspace=admin.workspace, recipient=admin.user, read_at="2026-01-01T00:00Z"
    )
    NotificationFactory(workspace=admin.workspace, recipient=member(Role.SALES).user)
    NotificationFactory(workspace=other_workspace, recipient=admin.user)
    assert unread_count(membership=admin) == 3
    NotificationFactory.create_batch(
        UNREAD_COUNT_CAP + 5, workspace=admin.workspace, recipient=admin.user
    )
    assert unread_count(membership=admin) == UNREAD_COUNT_CAP


def test_mark_all_read_touches_only_own_in_this_workspace(admin, member, other_workspace):
    mine = NotificationFactory(workspace=admin.workspace, recipient=admin.user)
    theirs = NotificationFactory(workspace=admin.workspace, recipient=member(Role.SALES).user)
    elsewhere = NotificationFactory(workspace=other_workspace, recipient=admin.user)
    assert notifications_mark_all_read(membership=admin) == 1
    assert Notification.objects.get(pk=mine.pk).read_at is not None
    assert Notification.objects.get(pk=theirs.pk).read_at is None
    assert Notification.objects.get(pk=elsewhere.pk).read_at is None


# --- pages ----------------------------------------------------------------------------------
def test_the_navbar_badge_shows_the_unread_count(admin):
    client = ui_client(admin)
    assert "badge-notification" not in client.get(reverse("home")).content.decode()
    NotificationFactory.create_batch(2, workspace=admin.workspace, recipient=admin.user)
    body = client.get(reverse("home")).content.decode()
    assert 'badge-notification badge-pill">2<' in body
    assert "Notifications, 2 unread" in body


def test_the_inbox_lists_own_notifications_only(admin, member):
    NotificationFactory(workspace=admin.workspace, recipient=admin.user, title="我的")
    NotificationFactory(workspace=admin.workspace, recipient=member(Role.SALES).user, title="别人")
    response = ui_client(admin).get(reverse("notifications:list"))
    assert [n.title for n in response.context["page"].object_list] == ["我的"]


def test_the_empty_inbox_says_so(admin):
    body = ui_client(admin).get(reverse("notifications:list")).content.decode()
    assert "No notifications yet" in body


def test_opening_marks_read_and_follows_the_link(admin):
    notification = NotificationFactory(
        workspace=admin.workspace, recipient=admin.user, url="/contacts/"
    )
    response = ui_client(admin).post(
        reverse("notifications:read", args=[notification.pk]), {"open": "1"}
    )
    assert response["Location"] == "/contacts/"
    assert Notification.objects.get(pk=notification.pk).read_at is not None


def test_someone_elses_notification_is_404_and_stays_unread(admin, member):
    theirs = NotificationFactory(workspace=admin.workspace, recipient=member(Role.SALES).user)
    response = ui_client(admin).post(reverse("notifications:read", args=[theirs.pk]))
    assert response.status_code == 404
    assert Notification.objects.get(pk=theirs.pk).read_at is None


def test_mark_all_read_page(admin):
    NotificationFactory.create_batch(2, workspace=admin.workspace, recipient=admin.user)
    client = ui_client(admin)
    response = client.post(reverse("notifications:read_all"), follow=True)
    assert "2 notifications marked as read." in response.content.decode()
    assert not Notification.objects.filter(read_at__isnull=True).exists()


def test_a_viewer_has_an_inbox_too(member, workspace):
    viewer = member(Role.VIEWER)
    notification = NotificationFactory(workspace=workspace, recipient=viewer.user)
    client = ui_client(viewer)
    assert client.get(reverse("notifications:list")).status_code == 200
    assert client.post(reverse("notifications:read", args=[notification.pk])).status_code == 302


# --- API --------------------------------------------------------------------------------------
def test_the_api_lists_own_notifications_and_filters_unread(admin, member, api_client):
    read = NotificationFactory(
        workspace=admin.workspace, recipient=admin.user, read_at="2026-01-01T00:00Z"
    )
    unread = NotificationFactory(workspace=admin.workspace, recipient=admin.user)
    NotificationFactory(workspace=admin.workspace, recipient=member(Role.SALES).user)
    client = api_client(admin)
    rows = client.get(API).json()["results"]
    assert [r["id"] for r in rows] == [str(unread.pk), str(read.pk)]
    assert [r["is_read"] for r in rows] == [False, True]
    assert [r["id"] for r in client.get(API, {"unread": "true"}).json()["results"]] == [
        str(unread.pk)
    ]


def test_the_api_marks_one_and_all_read(admin, api_client):
    one, _other = NotificationFactory.create_batch(
        2, workspace=admin.workspace, recipient=admin.user
    )
    client = api_client(admin)
    response = client.post(reverse("api:notification-read", args=[one.pk]))
    assert response.status_code == 200 and response.json()["is_read"] is True
    assert client.post(reverse("api:notification-read-all")).json() == {"marked_read": 1}
    assert not Notification.objects.filter(read_at__isnull=True).exists()


@pytest.mark.parametrize("whose", ["colleague", "other-workspace"], ids=str)
def test_the_api_hides_other_peoples_notifications(
    whose, admin, member, other_workspace, api_client
):
    notification = (
        NotificationFactory(workspace=admin.workspace, recipient=member(Role.SALES).user)
        if whose == "colleague"
        else NotificationFactory(workspace=other_workspace, recipient=admin.user)
    )
    client = api_client(admin)
    assert client.get(reverse("api:notification-detail", args=[notification.pk])).status_code == 404
    assert client.post(reverse("api:notification-read", args=[notification.pk])).status_code == 404
    assert Notification.objects.get(pk=notification.pk).read_at is None


def test_the_api_cannot_create_or_delete(admin, api_client):
    notification = NotificationFactory(workspace=admin.workspace, recipient=admin.user)
    client = api_client(admin)
    assert client.post(API, {"title": "x"}, format="json").status_code == 405
    detail = reverse("api:notification-detail", args=[notification.pk])
    assert client.delete(detail).status_code == 405
    assert client.get(API).status_code == 200


def test_anonymous_gets_401(db, api_client):
    assert api_client().get(API).status_code == 401
