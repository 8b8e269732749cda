"""Writes about people: API tokens (created, shown once, revoked) and account deactivation."""

from __future__ import annotations

import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guanxi.core.errors import ApplicationError
from guanxi.users.models import ApiToken, User, hash_token
from guanxi.workspaces.models import Workspace

TOKEN_PREFIX = "gx_"
MAX_ACTIVE_TOKENS = 20


@transaction.atomic
def api_token_create(*, user: User, workspace: Workspace, name: str) -> tuple[ApiToken, str]:
    """Returns the token row and the plaintext key, which is never stored and never shown again."""
    if not user.memberships.filter(workspace=workspace, is_active=True).exists():
        raise ApplicationError(
            _("You are not an active member of this workspace."),
            code="not_member",
            field="workspace",
        )
    if ApiToken.objects.filter(user=user, revoked_at__isnull=True).count() >= MAX_ACTIVE_TOKENS:
        raise ApplicationError(
            _("At most %(count)d active tokens; revoke one first.") % {"count": MAX_ACTIVE_TOKENS},
            code="too_many_tokens",
            field="name",
        )
    key = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user=user, workspace=workspace, name=name.strip(), prefix=key[:10], key_hash=hash_token(key)
    )
    token.full_clean()
    token.save()
    return token, key


@transaction.atomic
def api_token_revoke(*, token: ApiToken) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at", "updated_at"])
    return token


@transaction.atomic
def user_deactivate(*, user: User) -> User:
    """Sessions die on the next request (the auth backend refuses inactive users); tokens are revoked."""
    user.is_active = False
    user.save(update_fields=["is_active"])
    ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())
    return user
