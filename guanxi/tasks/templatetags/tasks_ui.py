"""Template filters of the tasks app."""

from typing import Any

from django import template
from django.utils.safestring import SafeString

from guanxi.core.permissions import Action, role_can
from guanxi.tasks.mentions import highlight_mentions
from guanxi.tasks.models import TaskComment
from guanxi.tasks.selectors import my_tasks_due

register = template.Library()


@register.filter
def comment_html(comment: TaskComment) -> SafeString:
    """The comment escaped, its resolved @mentions emphasised (`mentioned` is prefetched)."""
    return highlight_mentions(comment.body, comment.mentioned.all())


@register.inclusion_tag("tasks/partials/_home_due.html", takes_context=True)
def my_tasks_due_block(context: dict[str, Any]) -> dict[str, Any]:
    """The home page's "My tasks due" card: overdue and due today (two queries), or nothing
    for roles that have no tasks."""
    membership = context.get("current_membership")
    if membership is None or not role_can(membership.role, "tasks", Action.VIEW):
        return {"due": None}
    return {"due": my_tasks_due(membership=membership)}
