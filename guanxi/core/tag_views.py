"""Quick tagging on a record's page (CUS-3, CUS-4): add tags by name or remove one, via htmx.

Each app mounts `RecordTagsView` at `<uuid:pk>/tags/` (named "tags") and registers
`tags_panel(...)` on its model; writes go through core.bulk so they are audited like bulk tagging.
"""

from __future__ import annotations

import re
from typing import Any

from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.generic import View

from guanxi.core.bulk import records_bulk_tag
from guanxi.core.models import Tag
from guanxi.core.panels import Panel
from guanxi.core.permissions import Action, role_can
from guanxi.core.services import tags_by_name
from guanxi.core.views import WorkspaceViewMixin

TAGS_PANEL_TEMPLATE = "core/partials/_tags_panel.html"
# names typed into the box are split on commas (ASCII and Chinese) and the enumeration comma
TAG_SEPARATORS = re.compile(r"[,，、;；]")
MAX_TAGS_PER_REQUEST = 20
SUGGESTION_LIMIT = 200


def typed_tag_names(text: str) -> list[str]:
    names = [name.strip()[:50] for name in TAG_SEPARATORS.split(text or "")]
    return [name for name in names if name][:MAX_TAGS_PER_REQUEST]


def tags_panel_data(record: Model, membership: Any, *, resource: str, url_name: str) -> dict:
    """What the tags panel shows: the record's tags, the form's URL and the workspace's tags."""
    can_change = role_can(membership.role, resource, Action.CHANGE)
    return {
        "record": record,
        "tags": list(record.tags.all()),
        "url": reverse(url_name, args=[record.pk]),
        "can_change": can_change,
        "suggestions": (
            list(
                Tag.objects.for_workspace(membership.workspace).values_list("name", flat=True)[
                    :SUGGESTION_LIMIT
                ]
            )
            if can_change
            else []
        ),
    }


def tags_panel(*, resource: str, url_name: str, order: int = 15) -> Panel:
    """The side panel of a record page that lists its tags with a quick add/remove form."""
    return Panel(
        name="tags",
        template=TAGS_PANEL_TEMPLATE,
        context=lambda record, membership, request: tags_panel_data(
            record, membership, resource=resource, url_name=url_name
        ),
        column="side",
        order=order,
        resource=resource,
    )


class RecordTagsView(WorkspaceViewMixin, View):
    """POST `add=<names>` or `remove=<tag id>`; answers with the refreshed panel."""

    permission_action = Action.CHANGE

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        record = self.get_object()
        self.require(Action.CHANGE, record)
        error = ""
        if "remove" in request.POST:
            tags = list(
                Tag.objects.for_workspace(self.membership.workspace).filter(
                    pk__in=[value for value in request.POST.getlist("remove") if _is_uuid(value)]
                )
            )
            records_bulk_tag(records=[record], tags=tags, remove=True)
        else:
            names = typed_tag_names(request.POST.get("add", ""))
            if names:
                tags = tags_by_name(workspace=self.membership.workspace, names=names)
                records_bulk_tag(records=[record], tags=tags)
            else:
                error = "empty"
        data = tags_panel_data(
            record,
            self.membership,
            resource=self.resource,
            url_name=self.url_name("tags"),
        )
        return render(request, TAGS_PANEL_TEMPLATE, {"panel": {**data, "error": error}})


def _is_uuid(value: str) -> bool:
    return bool(re.fullmatch(r"[0-9a-fA-F-]{32,36}", value))
