"""Reads of contacts, scoped to the membership's workspace and visibility."""

from __future__ import annotations

from django.db.models import QuerySet

from guanxi.contacts.models import Contact
from guanxi.core.permissions import Action, visible_owner_filter
from guanxi.workspaces.models import Membership


def contact_list(*, membership: Membership, action: str = Action.VIEW) -> QuerySet[Contact]:
    return (
        Contact.objects.for_workspace(membership.workspace)
        .filter(visible_owner_filter(membership, "contacts", action))
        .select_related("owner", "company")
        .prefetch_related("tags")
    )
