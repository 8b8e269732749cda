"""@mentions: resolved to active members of the task's workspace, each notified once."""

import pytest

from guanxi.notifications.models import Notification
from guanxi.tasks.mentions import highlight_mentions, mentioned_members
from guanxi.tasks.services import comment_create
from guanxi.tasks.tests.factories import TaskFactory
from guanxi.users.tests.factories import UserFactory
from guanxi.workspaces.choices import Role
from guanxi.workspaces.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(member, workspace, other_workspace):
    def named(username, display_name="", role=Role.SALES, in_workspace=None):
        membership = MembershipFactory(
            workspace=in_workspace or workspace,
            role=role,
            user=UserFactory(username=username, display_name=display_name),
        )
        return membership.user

    return {
        "author": named("author"),
        "li": named("li", "李明"),
        "liming": named("li.ming2", "Li Ming"),
        "wang": named("wang", "王芳"),
        "outsider": named("zhao", "赵雷", in_workspace=other_workspace),
    }


def test_usernames_and_display_names_resolve_longest_first(people, workspace):
    found = mentioned_members(workspace=workspace, text="请 @Li Ming 和 @李明 看看，@wang 也来")
    assert found == [people["liming"], people["li"], people["wang"]]


def test_other_workspaces_users_emails_and_unknown_names_are_not_mentions(people, workspace):
    text = "@zhao @赵雷 write to li@example.com or @nobody"
    assert mentioned_members(workspace=workspace, text=text) == []


def test_inactive_members_are_not_mentioned(people, workspace):
    people["wang"].memberships.update(is_active=False)
    assert mentioned_members(workspace=workspace, text="@wang") == []


def test_each_mentioned_member_is_notified_once_and_the_author_never(people, workspace):
    # given a task assigned to wang
    task = TaskFactory(workspace=workspace, owner=people["wang"])
    # when the author mentions li twice, themselves, and an outsider
    comment = comment_create(task=task, actor=people["author"], body="@li @li @author @zhao 请跟进")
    # then li gets one mention, wang (the assignee) one comment notice, nobody else anything
    assert set(comment.mentioned.all()) == {people["li"], people["author"]}
    recipients = sorted(n.recipient.username for n in Notification.objects.all())
    assert recipients == ["li", "wang"]
    assert Notification.objects.get(recipient=people["li"]).title.startswith("author mentioned")


def test_a_mentioned_assignee_gets_one_notification_not_two(people, workspace):
    task = TaskFactory(workspace=workspace, owner=people["wang"])
    comment_create(task=task, actor=people["author"], body="@wang 看一下")
    assert Notification.objects.filter(recipient=people["wang"]).count() == 1


def test_highlighting_escapes_everything_but_the_mention(people):
    html = highlight_mentions('<img src=x onerror=alert(1)> @li "hi"', [people["li"]])
    assert "<img" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert '<strong class="text-primary">@li</strong>' in html
    assert "&quot;hi&quot;" in html


def test_a_display_name_shared_by_two_members_mentions_neither(people, workspace, member):
    twin = MembershipFactory(
        workspace=workspace, user=UserFactory(username="wang2", display_name="王芳")
    ).user
    found = mentioned_members(workspace=workspace, text="@王芳 @wang2")
    assert found == [twin]  # by username only
