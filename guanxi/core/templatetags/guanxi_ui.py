"""Template helpers of the generic UI views: sortable column headers and detail field rows."""

from __future__ import annotations

from typing import Any

from django import template
from django.db.models import Model

register = template.Library()


@register.inclusion_tag("core/partials/_sort_header.html", takes_context=True)
def sort_header(context: dict[str, Any], key: str, label: str) -> dict[str, Any]:
    """A column header linking to this list sorted by `key`; a second click reverses it."""
    current = context.get("sort", "")
    query = context["request"].GET.copy()
    query.pop("page", None)
    query["sort"] = f"-{key}" if current == key else key
    return {
        "label": label,
        "url": f"?{query.urlencode()}",
        "direction": "asc" if current == key else "desc" if current == f"-{key}" else "",
    }


@register.inclusion_tag("core/partials/_detail_field.html")
def detail_field(record: Model, name: str) -> dict[str, Any]:
    """A <dt>/<dd> pair: the field's label and its display value (choice labels, not codes)."""
    field = record._meta.get_field(name)
    display = getattr(record, f"get_{name}_display", None)
    value = display() if callable(display) else getattr(record, name)
    return {"label": field.verbose_name, "value": value}
