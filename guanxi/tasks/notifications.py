"""Messages to members about tasks: assigned to them, changed by someone else, mentioned in a comment."""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext as _

from guanxi.notifications.services import NotificationDraft, notifications_send, notify
from guanxi.tasks.models import Task, TaskComment
from guanxi.users.models import User


def _is_actor(user_id: object, actor: User | None) -> bool:
    return actor is not None and actor.pk == user_id


def task_assigned_notify(*, task: Task, actor: User | None) -> None:
    """Tell the assignee, unless they assigned it to themselves."""
    if task.owner_id is None or _is_actor(task.owner_id, actor):
        return
    with translation.override(task.workspace.language):
        notify(
            recipient=task.owner,
            workspace=task.workspace,
            title=_("Task assigned to you: %(title)s") % {"title": task.title},
            body=_("Assigned by %(actor)s.") % {"actor": actor} if actor else "",
            url=task.get_absolute_url(),
        )


def task_changed_notify(*, task: Task, actor: User | None) -> None:
    """Tell the assignee that someone else changed their task."""
    if task.owner_id is None or actor is None or _is_actor(task.owner_id, actor):
        return
    with translation.override(task.workspace.language):
        notify(
            recipient=task.owner,
            workspace=task.workspace,
            title=_("Task changed: %(title)s") % {"title": task.title},
            body=_("Changed by %(actor)s.") % {"actor": actor},
            url=task.get_absolute_url(),
        )


def comment_notify(*, comment: TaskComment, mentioned: list[User]) -> int:
    """One notification per mentioned member (never the author), and one to the assignee if
    they were not mentioned; keyed by comment so a retry sends nothing twice."""
    task = comment.task
    recipients = {user.pk for user in mentioned}
    recipients.discard(comment.author_id)
    drafts = []
    with translation.override(task.workspace.language):
        for user_id in recipients:
            drafts.append(
                NotificationDraft(
                    recipient_id=user_id,
                    workspace_id=task.workspace_id,
                    title=_("%(author)s mentioned you on “%(title)s”")
                    % {"author": comment.author, "title": task.title},
                    body=comment.body,
                    url=task.get_absolute_url(),
                    key=f"task-mention:{comment.pk}:{user_id}",
                )
            )
        if task.owner_id and task.owner_id not in recipients and task.owner_id != comment.author_id:
            drafts.append(
                NotificationDraft(
                    recipient_id=task.owner_id,
                    workspace_id=task.workspace_id,
                    title=_("New comment on “%(title)s”") % {"title": task.title},
                    body=comment.body,
                    url=task.get_absolute_url(),
                    key=f"task-comment:{comment.pk}:{task.owner_id}",
                )
            )
    return len(notifications_send(drafts=drafts))
