"""Detail-page panels: how other apps add a section to a record's page without editing it.

An app registers a panel for a model in its AppConfig.ready(); the detail view renders every
registered panel the viewer may see, in order. The contact and company pages (the 360° view,
CUS-4) are built from these: membership card, timeline, custom fields, completeness, quick
actions. A panel's context function runs a fixed number of queries (never one per row), so
the page's query count stays constant however much data a record has.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from django.db.models import Model

from guanxi.core.permissions import Action, role_can

if TYPE_CHECKING:
    from django.http import HttpRequest

    from guanxi.workspaces.models import Membership

PanelContext = Callable[[Model, "Membership", "HttpRequest"], "dict[str, Any] | None"]


@dataclass(frozen=True)
class Panel:
    """A section of a detail page.

    `context` returns the template's `panel` data, or None to leave the panel out;
    `resource` (optional) is the permission resource the viewer needs VIEW on.
    """

    name: str
    template: str
    context: PanelContext
    column: Literal["main", "side", "header"] = "main"
    order: int = 100
    resource: str | None = None


@dataclass(frozen=True)
class RenderedPanel:
    name: str
    template: str
    data: dict[str, Any]


_PANELS: dict[str, list[Panel]] = {}


def register_panel(model: type[Model], panel: Panel) -> None:
    """Add (or replace, by name) a panel on `model`'s detail page."""
    panels = [p for p in _PANELS.get(model._meta.label, []) if p.name != panel.name]
    panels.append(panel)
    panels.sort(key=lambda p: (p.order, p.name))
    _PANELS[model._meta.label] = panels


def panels_for(
    record: Model, membership: Membership, request: HttpRequest
) -> dict[str, list[RenderedPanel]]:
    """The panels to show on `record`'s page, by column."""
    columns: dict[str, list[RenderedPanel]] = {"main": [], "side": [], "header": []}
    for panel in _PANELS.get(record._meta.label, []):
        if panel.resource and not role_can(membership.role, panel.resource, Action.VIEW):
            continue
        data = panel.context(record, membership, request)
        if data is not None:
            columns[panel.column].append(RenderedPanel(panel.name, panel.template, data))
    return columns
