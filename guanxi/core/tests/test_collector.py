"""Full garbage collections wait for the end of a request (core/collector.py)."""

from __future__ import annotations

import gc
import weakref

import pytest
from django.core.signals import request_finished

from guanxi.core.collector import (
    FULL_PASS_EVERY,
    NEVER,
    collect_between_requests,
    full_pass_when_due,
)


class Cycle:
    def __init__(self) -> None:
        self.me = self


@pytest.fixture
def between_requests():
    threshold = gc.get_threshold()
    collect_between_requests()
    yield
    request_finished.disconnect(dispatch_uid="guanxi-gc-between-requests")
    gc.set_threshold(*threshold)
    gc.unfreeze()


def old_garbage() -> weakref.ref:
    """A reference cycle that only a full collection frees: it survived two younger passes
    while referenced, then was dropped."""
    cycle = Cycle()
    gc.collect(1)
    gc.collect(1)
    return weakref.ref(cycle)


def test_python_never_starts_a_full_pass_itself(between_requests):
    assert gc.get_threshold()[2] == NEVER
    assert gc.get_freeze_count() > 0


@pytest.mark.django_db
def test_a_finished_request_runs_the_full_pass_that_is_due(between_requests, client):
    gc.collect()
    garbage = old_garbage()
    for _ in range(FULL_PASS_EVERY):
        gc.collect(1)
    assert garbage() is not None
    assert client.get("/healthz").status_code == 200
    assert garbage() is None


def test_a_finished_request_leaves_garbage_when_no_pass_is_due(between_requests):
    gc.collect()
    garbage = old_garbage()
    full_pass_when_due()
    assert garbage() is not None
    gc.collect()
    assert garbage() is None
