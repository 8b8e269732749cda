"""Python's full garbage collections run between requests, not in the middle of one.

A full pass walks every object the process holds and paused requests for 150-450 ms in the
benchmark's gunicorn workers (the pinyin tables alone are 300,000 objects). What the process
has loaded when it starts serving is frozen out of those passes, and the full pass that Python
would start inside a request is run after a response has been sent instead (Django sends
`request_finished` when the server closes the response).
"""

from __future__ import annotations

import gc
from typing import Any

from django.core.signals import request_finished

# Python's own default: a full pass after this many collections of the middle generation
FULL_PASS_EVERY = 10
# high enough that Python never starts a full pass itself
NEVER = 1_000_000_000


def collect_between_requests() -> None:
    """Freeze what is loaded and move full collections to the end of requests."""
    gc.freeze()
    youngest, middle, _oldest = gc.get_threshold()
    gc.set_threshold(youngest, middle, NEVER)
    request_finished.connect(full_pass_when_due, dispatch_uid="guanxi-gc-between-requests")


def full_pass_when_due(**_kwargs: Any) -> None:
    if gc.get_count()[2] >= FULL_PASS_EVERY:
        gc.collect()
