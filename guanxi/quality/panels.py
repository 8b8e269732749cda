"""The "Data quality" side panel on contact and company pages: completeness with the missing
fields, aliases (companies) and the find-duplicates / merge actions. Three queries at most."""

from __future__ import annotations

from typing import Any

from django.db.models import Model
from django.urls import reverse

from guanxi.core.panels import Panel
from guanxi.core.permissions import Action, role_can
from guanxi.quality.completeness import completeness_of, record_type_of, weights_for
from guanxi.quality.presentation import SLUG_OF
from guanxi.quality.selectors import RESOURCE_OF
from guanxi.quality.workspace_settings import quality_settings_for

PANEL_ORDER = 20


def quality_panel_context(record: Model, membership: Any, request: Any) -> dict[str, Any]:
    record_type = record_type_of(record)
    settings = quality_settings_for(record.workspace_id)
    score, missing = completeness_of(record, weights_for(settings, record_type))
    slug = SLUG_OF[record_type]
    can_review = role_can(membership.role, "quality", Action.VIEW)
    can_merge = role_can(membership.role, "quality", Action.CHANGE) and role_can(
        membership.role, RESOURCE_OF[record_type], Action.DELETE
    )
    return {
        "score": score,
        "level": "success" if score >= settings.completeness_threshold else "warning",
        "threshold": settings.completeness_threshold,
        "missing": [str(record._meta.get_field(name).verbose_name) for name in missing],
        "aliases": list(record.aliases.all()) if hasattr(record, "aliases") else None,
        "find_url": reverse(f"quality:{slug}_duplicates", args=[record.pk]) if can_review else "",
        "can_merge": can_merge,
    }


QUALITY_PANEL = Panel(
    name="data_quality",
    template="quality/partials/_panel.html",
    context=quality_panel_context,
    column="side",
    order=PANEL_ORDER,
)
