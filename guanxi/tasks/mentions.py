"""@mentions in task comments: `@username` or `@display name` of an active member of the workspace."""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from guanxi.users.models import User
from guanxi.workspaces.models import Membership, Workspace


def handles_of(user: User) -> list[str]:
    """The names a member can be mentioned by."""
    return [name for name in (user.username, user.display_name.strip()) if name]


def _pattern(names: Iterable[str]) -> re.Pattern[str] | None:
    # longest first, so "@Li Ming" is Li Ming and not Li; an @ inside a word (an email) is no mention
    alternatives = sorted({name for name in names if name}, key=len, reverse=True)
    if not alternatives:
        return None
    joined = "|".join(re.escape(name) for name in alternatives)
    return re.compile(rf"(?<!\w)@({joined})(?!\w)", re.IGNORECASE)


def mentioned_members(*, workspace: Workspace, text: str) -> list[User]:
    """The active members of this workspace that `text` mentions, each once, in order of mention."""
    if "@" not in text:
        return []
    users = list(
        User.objects.filter(
            pk__in=Membership.objects.filter(workspace=workspace, is_active=True).values("user_id")
        )
    )
    by_handle: dict[str, User] = {}
    for user in users:
        for handle in handles_of(user):
            # a display name shared by two members (or a member's username) names nobody for sure
            key = handle.casefold()
            by_handle[key] = None if key in by_handle and by_handle[key] != user else user
    pattern = _pattern(handle for handle, user in by_handle.items() if user is not None)
    if pattern is None:
        return []
    found: dict[object, User] = {}
    for match in pattern.finditer(text):
        user = by_handle[match.group(1).casefold()]
        found.setdefault(user.pk, user)
    return list(found.values())


def highlight_mentions(text: str, users: Iterable[User]) -> SafeString:
    """The comment as HTML: everything escaped, then the resolved mentions emphasised."""
    pattern = _pattern(escape(handle) for user in users for handle in handles_of(user))
    html = escape(text)
    if pattern is None:
        return mark_safe(html)  # escaped above
    return mark_safe(  # escaped text plus our own tag
        pattern.sub(lambda m: f'<strong class="text-primary">{m.group(0)}</strong>', html)
    )
