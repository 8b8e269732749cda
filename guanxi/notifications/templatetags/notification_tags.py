"""The navbar's unread badge: one capped count query per page."""

from __future__ import annotations

from typing import Any

from django import template

from guanxi.notifications.selectors import UNREAD_COUNT_CAP, unread_count

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notifications(context: dict[str, Any]) -> str:
    """ "" when nothing is unread, else the count ("99+" past the cap)."""
    request = context.get("request")
    membership = getattr(request, "membership", None)
    if membership is None:
        return ""
    count = unread_count(membership=membership)
    if count >= UNREAD_COUNT_CAP:
        return f"{UNREAD_COUNT_CAP - 1}+"
    return str(count) if count else ""
