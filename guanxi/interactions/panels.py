"""The quick-log form and the timeline on contact and company pages (core.panels), and the
context both the panels and their htmx endpoints render with."""

from __future__ import annotations

from typing import Any

from django.db.models import Model
from django.http import HttpRequest
from django.urls import reverse
from django.utils.http import urlencode

from guanxi.core.permissions import Action, role_can
from guanxi.core.timeline import timeline_page, timeline_sources
from guanxi.interactions.forms import QuickInteractionForm
from guanxi.workspaces.models import Membership


def record_route(record: Model, name: str) -> str:
    """`interactions:<name>_<contact|company>` for this record."""
    return reverse(f"interactions:{name}_{record._meta.model_name}", args=[record.pk])


def quick_log_context(
    record: Model, request: HttpRequest, form: QuickInteractionForm | None = None, **extra: Any
) -> dict[str, Any]:
    return {
        "record": record,
        "form": form or QuickInteractionForm(request=request, record=record),
        "action_url": record_route(record, "log"),
        "full_form_url": (
            f"{reverse('interactions:create')}?{urlencode({record._meta.model_name: record.pk})}"
        ),
        **extra,
    }


def quick_log_panel(
    record: Model, membership: Membership, request: HttpRequest
) -> dict[str, Any] | None:
    if not role_can(membership.role, "interactions", Action.ADD):
        return None
    return quick_log_context(record, request)


def timeline_context(
    record: Model, membership: Membership, *, kind: str = "", before=None
) -> dict[str, Any]:
    """One page of the record's timeline, the kind pills, and the URL of the next page."""
    sources = timeline_sources(type(record), membership)
    kinds = {kind} if kind in {source.kind for source in sources} else None
    entries, cursor = timeline_page(record, membership, kinds=kinds, before=before)
    url = record_route(record, "timeline")
    current = kind if kinds else ""
    more_url = ""
    if cursor is not None:
        more_url = f"{url}?{urlencode({'kind': current, 'before': cursor.isoformat()})}"
    return {
        "record": record,
        "entries": entries,
        "sources": sources,
        "kind": current,
        "url": url,
        "more_url": more_url,
        "element_id": f"timeline-{record.pk}",
    }


def timeline_panel(
    record: Model, membership: Membership, request: HttpRequest
) -> dict[str, Any] | None:
    return timeline_context(record, membership)
