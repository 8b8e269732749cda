"""Template filters of the opportunities pages."""

from __future__ import annotations

from datetime import timedelta

from django import template
from django.utils.translation import ngettext

register = template.Library()


@register.filter
def duration_text(value: timedelta | None) -> str:
    """“3 days 4 hours”, “5 hours”, “12 minutes”: time spent in a stage."""
    if value is None:
        return ""
    minutes = int(value.total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    parts = []
    if days:
        parts.append(ngettext("%(count)d day", "%(count)d days", days) % {"count": days})
    if hours:
        parts.append(ngettext("%(count)d hour", "%(count)d hours", hours) % {"count": hours})
    if not days and (minutes or not hours):
        parts.append(
            ngettext("%(count)d minute", "%(count)d minutes", minutes) % {"count": minutes}
        )
    return " ".join(parts)


@register.filter
def field_labels(names: list[str]) -> str:
    """A stage gate's required field names as their labels, comma-separated."""
    from guanxi.opportunities.gates import GATEABLE_FIELDS

    return ", ".join(str(GATEABLE_FIELDS.get(name, name)) for name in names)
