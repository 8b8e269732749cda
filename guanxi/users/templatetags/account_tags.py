"""Template filters for account pages."""

from __future__ import annotations

import math
from datetime import timedelta

from django import template

register = template.Library()


@register.filter
def whole_minutes(duration: timedelta | None) -> int:
    """A lockout's cool-off as minutes, rounded up: people read "15 minutes", not "0:15:00"."""
    return math.ceil(duration.total_seconds() / 60) if duration else 0
