"""The "tasks" panel on contact and company pages: open tasks and a quick add form."""

from __future__ import annotations

from typing import Any

from django.db.models import Model
from django.http import HttpRequest
from django.urls import reverse
from django.utils.http import urlencode

from guanxi.core.permissions import Action, role_can
from guanxi.tasks.choices import OPEN_STATUSES
from guanxi.tasks.forms import QuickTaskForm
from guanxi.tasks.selectors import tasks_of_record
from guanxi.workspaces.models import Membership

PANEL_TASK_LIMIT = 5


def quick_task_context(
    record: Model,
    request: HttpRequest,
    form: QuickTaskForm | None = None,
    **extra: Any,
) -> dict[str, Any]:
    membership = request.membership
    can_add = role_can(membership.role, "tasks", Action.ADD)
    open_tasks = (
        tasks_of_record(record=record, membership=membership)
        .filter(status__in=OPEN_STATUSES)
        .order_by("due_at", "-id")
    )
    name = record._meta.model_name
    return {
        "record": record,
        # one query: the first few open tasks, soonest due first
        "tasks": list(open_tasks[:PANEL_TASK_LIMIT]),
        "more_url": f"{reverse('tasks:list')}?{urlencode({name: record.pk})}",
        "form": (form or QuickTaskForm(request=request, record=record)) if can_add else None,
        "action_url": reverse(f"tasks:quick_{name}", args=[record.pk]),
        "full_form_url": f"{reverse('tasks:create')}?{urlencode({name: record.pk})}",
        **extra,
    }


def quick_task_panel(
    record: Model, membership: Membership, request: HttpRequest
) -> dict[str, Any] | None:
    return quick_task_context(record, request)
