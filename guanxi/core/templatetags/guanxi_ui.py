"""Template helpers of the generic UI views: sortable column headers and detail field rows."""

from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache
from typing import Any
from uuid import UUID

from django import template
from django.conf import settings
from django.db.models import Field, Model
from django.urls import get_script_prefix, get_urlconf, reverse

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


# --- cheap per-row helpers of list tables -----------------------------------------------
# A list renders these once per row; the Django equivalents (reverse(), get_FOO_display,
# the `date` filter) redo per-call work that only depends on the URL name, field or format.

# stands in for the primary key while the URL around it is built once
_PK_SENTINELS: dict[type, Any] = {UUID: UUID(int=0x5E471AE1), int: 7_294_813_507}


@lru_cache(maxsize=256)
def _url_around_pk(
    viewname: str, pk_type: type, urlconf: str | None, prefix: str
) -> tuple[str, str]:
    sentinel = str(_PK_SENTINELS[pk_type])
    before, _, after = reverse(viewname, args=[sentinel], urlconf=urlconf).rpartition(sentinel)
    return before, after


@register.filter
def pk_url(record: Model, viewname: str) -> str:
    """`reverse(viewname, args=[record.pk])`, with the URL around the pk built once per URL name."""
    pk = record.pk
    if type(pk) not in _PK_SENTINELS:
        return reverse(viewname, args=[pk])
    urlconf = get_urlconf() or settings.ROOT_URLCONF
    before, after = _url_around_pk(viewname, type(pk), urlconf, get_script_prefix())
    return f"{before}{pk}{after}"


@lru_cache(maxsize=256)
def _choice_labels(field: Field) -> dict[Any, Any]:
    return dict(field.flatchoices)


@register.filter
def choice_label(record: Model, name: str) -> str:
    """What `record.get_<name>_display()` shows: the choice's (translated) label, else the value."""
    field = record._meta.get_field(name)
    value = getattr(record, field.attname)
    label = _choice_labels(field).get(value, value)
    return "" if label is None else str(label)


@register.filter(expects_localtime=True)
def iso_date(value: datetime | date | None) -> str:
    """The date as YYYY-MM-DD (the `date:"Y-m-d"` filter without its format parser)."""
    if not value:
        return ""
    return (value.date() if isinstance(value, datetime) else value).isoformat()


@register.filter
def related_list(record: Model, name: str) -> Any:
    """`record.<name>.all()`, read straight from the prefetch cache when the view prefetched it
    (building the related manager costs more than the rest of a tag cell)."""
    prefetched = getattr(record, "_prefetched_objects_cache", {})
    return prefetched[name] if name in prefetched else getattr(record, name).all()
