"""Test data of the quality app."""

from __future__ import annotations

from typing import Any

from guanxi.contacts.tests.factories import ContactFactory
from guanxi.quality.choices import RecordType
from guanxi.quality.models import DuplicateCandidate


def candidate_in(workspace: Any, *, score: int = 90) -> DuplicateCandidate:
    """An open candidate pair of two new contacts of `workspace`."""
    a, b = sorted(
        (ContactFactory(workspace=workspace), ContactFactory(workspace=workspace)),
        key=lambda c: str(c.pk),
    )
    return DuplicateCandidate.objects.create(
        workspace=workspace, record_type=RecordType.CONTACT, a_id=a.pk, b_id=b.pk, score=score
    )
