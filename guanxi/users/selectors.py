"""Reads about people: a user's own API tokens."""

from __future__ import annotations

from django.db.models import F, QuerySet

from guanxi.users.models import ApiToken, User


def api_token_list(*, user: User) -> QuerySet[ApiToken]:
    """The user's tokens, active ones first, newest first."""
    return (
        ApiToken.objects.filter(user=user)
        .select_related("workspace")
        .order_by(F("revoked_at").asc(nulls_first=True), "-created_at")
    )
