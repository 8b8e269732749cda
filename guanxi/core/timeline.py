"""The merged timeline of a contact or company: one extension point for every module (INT-3).

Each app registers a source per model (interactions, record changes from the audit log, level
changes, and later deals, orders, tickets, emails). A source returns the record's entries
older than a cursor, newest first; the timeline merges them and pages by time. A source runs a
fixed number of queries per call, so a page costs the same however long the history is.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db.models import Model

from guanxi.core.permissions import Action, role_can

if TYPE_CHECKING:
    from django.utils.functional import Promise

    from guanxi.workspaces.models import Membership

TIMELINE_PAGE_SIZE = 20


@dataclass(frozen=True)
class TimelineEntry:
    """One line of the timeline; text fields are plain text (templates escape them)."""

    at: datetime
    kind: str
    title: str
    body: str = ""
    url: str = ""
    actor: str = ""
    # a Tabler colour name for the dot: blue, green, red, orange, purple, secondary
    colour: str = "blue"
    extra: dict[str, Any] = field(default_factory=dict)


# (record, membership, before, limit) → at most `limit` entries strictly older than `before`
# (all when None), newest first
TimelineFetch = Callable[[Model, "Membership", "datetime | None", int], list[TimelineEntry]]


@dataclass(frozen=True)
class TimelineSource:
    kind: str
    label: str | Promise
    fetch: TimelineFetch
    # the permission resource the viewer needs VIEW on to see these entries
    resource: str | None = None


_SOURCES: dict[str, dict[str, TimelineSource]] = {}


def register_timeline_source(model: type[Model], source: TimelineSource) -> None:
    """Add (or replace, by kind) a source of entries for `model`'s timeline."""
    _SOURCES.setdefault(model._meta.label, {})[source.kind] = source


def timeline_sources(model: type[Model], membership: Membership) -> list[TimelineSource]:
    """The sources of `model`'s timeline that this member may see, in registration order."""
    return [
        source
        for source in _SOURCES.get(model._meta.label, {}).values()
        if source.resource is None or role_can(membership.role, source.resource, Action.VIEW)
    ]


def timeline_page(
    record: Model,
    membership: Membership,
    *,
    kinds: set[str] | None = None,
    before: datetime | None = None,
    limit: int = TIMELINE_PAGE_SIZE,
) -> tuple[list[TimelineEntry], datetime | None]:
    """The newest `limit` entries older than `before`, and the cursor of the next page (or None).

    The cursor is a time, so a page never ends in the middle of entries sharing one time: the
    next page starts strictly before the cursor and would skip the rest of them. Such a page
    ends early instead; when a single time holds more than a page, the page grows to take it.
    """
    sources = [
        source
        for source in timeline_sources(type(record), membership)
        if kinds is None or source.kind in kinds
    ]
    size = limit
    while True:
        streams = [source.fetch(record, membership, before, size + 1) for source in sources]
        merged = list(heapq.merge(*streams, key=lambda entry: entry.at, reverse=True))
        if len(merged) <= size:
            return merged, None
        boundary = merged[size].at
        page = [entry for entry in merged[:size] if entry.at != boundary]
        if page:
            return page, page[-1].at
        size *= 2
