"""`{% record_history_rows events as rows %}` for the history partial on record pages."""

from __future__ import annotations

from django import template

from guanxi.audit.presentation import event_rows

register = template.Library()

# a record page shows its latest changes; the audit list has the rest
HISTORY_LIMIT = 50


@register.simple_tag
def record_history_rows(events) -> dict:
    """The newest HISTORY_LIMIT events as readable rows, and whether older ones exist."""
    page = list(events[: HISTORY_LIMIT + 1])
    return {"rows": event_rows(page[:HISTORY_LIMIT]), "has_more": len(page) > HISTORY_LIMIT}
