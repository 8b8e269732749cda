"""Interaction content is rich text: stored sanitised to a small allowlist, so pages may show it as HTML."""

from __future__ import annotations

import html

import nh3
from django.utils.html import strip_tags

ALLOWED_TAGS = frozenset(
    {
        "a",
        "b",
        "blockquote",
        "br",
        "code",
        "em",
        "h3",
        "h4",
        "i",
        "li",
        "ol",
        "p",
        "pre",
        "s",
        "strong",
        "u",
        "ul",
    }
)
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
ALLOWED_URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})


def sanitise_rich_text(value: str) -> str:
    """The HTML with everything outside the allowlist removed (scripts, styles, event handlers)."""
    if not value:
        return ""
    return nh3.clean(
        value,
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(ALLOWED_URL_SCHEMES),
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    ).strip()


def plain_text(value: str, limit: int = 300) -> str:
    """Sanitised HTML as short plain text, for timelines and lists (templates escape it)."""
    text = " ".join(html.unescape(strip_tags(value)).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
