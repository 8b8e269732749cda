"""Merging contacts with rows of other apps: interactions move by foreign key, memberships
through the members app's merge handler, and a one-to-one clash without a handler is refused."""

from __future__ import annotations

import pytest

from guanxi.contacts.tests.factories import ContactFactory
from guanxi.core.errors import ApplicationError
from guanxi.interactions.models import Interaction
from guanxi.interactions.tests.factories import InteractionFactory
from guanxi.members.models import Member
from guanxi.members.tests.factories import MemberFactory
from guanxi.quality import merge as registry
from guanxi.quality.services import records_merge

pytestmark = pytest.mark.django_db


def merge(workspace, survivor, duplicate):
    return records_merge(
        workspace=workspace, survivor=survivor, duplicates=[duplicate], field_choices={}, actor=None
    )


def test_interactions_of_the_duplicate_move_to_the_survivor(workspace):
    survivor, duplicate = ContactFactory(workspace=workspace), ContactFactory(workspace=workspace)
    logged = InteractionFactory(workspace=workspace, contact=duplicate)
    merge(workspace, survivor, duplicate)
    assert Interaction.objects.get(pk=logged.pk).contact_id == survivor.pk


def test_two_memberships_become_one_through_the_members_handler(workspace):
    survivor_member = MemberFactory(workspace=workspace)
    duplicate_member = MemberFactory(workspace=workspace)
    merge(workspace, survivor_member.contact, duplicate_member.contact)
    assert list(Member.objects.filter(workspace=workspace)) == [survivor_member]


def test_a_one_to_one_clash_without_a_handler_is_refused_and_nothing_changes(workspace):
    survivor_member = MemberFactory(workspace=workspace)
    duplicate_member = MemberFactory(workspace=workspace)
    saved = registry.merge_handler_for(Member)
    registry._handlers.pop(Member, None)
    try:
        with pytest.raises(ApplicationError) as caught:
            merge(workspace, survivor_member.contact, duplicate_member.contact)
    finally:
        if saved is not None:
            registry.register_merge_handler(Member, saved)
    assert caught.value.code == "merge_conflict"
    assert Member.objects.filter(pk=duplicate_member.pk, contact=duplicate_member.contact).exists()


def test_a_lone_membership_moves_without_a_handler(workspace):
    survivor = ContactFactory(workspace=workspace)
    duplicate_member = MemberFactory(workspace=workspace)
    saved = registry.merge_handler_for(Member)
    registry._handlers.pop(Member, None)
    try:
        merge(workspace, survivor, duplicate_member.contact)
    finally:
        if saved is not None:
            registry.register_merge_handler(Member, saved)
    assert Member.objects.get(pk=duplicate_member.pk).contact_id == survivor.pk
