"""Merging two contacts that are both members merges their memberships (quality.merge)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from guanxi.contacts.models import Contact
from guanxi.members.models import LevelChange, Member, PointsEntry, Transaction
from guanxi.members.services import member_recompute


@transaction.atomic
def members_merge(survivor: Contact, duplicate: Contact, actor: Any) -> None:
    """Move the duplicate contact's membership onto the survivor.

    When only the duplicate is a member, its membership moves to the survivor as it is.
    When both are, transactions, points and level history move to the survivor's member,
    totals, level and balance are recomputed, and the duplicate's member is deleted.
    """
    members = list(
        Member.objects.select_for_update()
        .filter(contact__in=[survivor.pk, duplicate.pk])
        .order_by("pk")  # a fixed lock order
    )
    kept = next((m for m in members if m.contact_id == survivor.pk), None)
    gone = next((m for m in members if m.contact_id == duplicate.pk), None)
    if gone is None:
        return
    if kept is None:
        gone.contact = survivor
        gone.save(update_fields=["contact", "updated_at"])
        return
    for model in (Transaction, PointsEntry, LevelChange):
        model.objects.filter(member=gone).update(member=kept)
    kept.interest_tags.add(*gone.interest_tags.all())
    kept.joined_at = min(kept.joined_at, gone.joined_at)
    kept.custom_fields = {**gone.custom_fields, **kept.custom_fields}
    kept.save(update_fields=["joined_at", "custom_fields", "updated_at"])
    member_recompute(kept)
    gone.delete()


def register() -> None:
    """Hook into the contact merge when the quality app offers it."""
    try:
        from guanxi.quality.merge import register_merge_handler
    except ImportError:
        return
    register_merge_handler(Member, members_merge)
