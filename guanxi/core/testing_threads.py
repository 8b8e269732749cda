"""Concurrency tests: many threads hitting one service at the same moment, on PostgreSQL
(SQLite serialises writers, so races there prove nothing)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import close_old_connections, connection

POSTGRES_THREADS = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL (GUANXI_DATABASE_URL)"
    ),
]


def run_together(work: Callable[[int], Any], count: int) -> list:
    """Start `count` threads that call work(i) at the same moment; their results or errors."""
    barrier = threading.Barrier(count)
    results: list = [None] * count

    def worker(index: int) -> None:
        try:
            barrier.wait()
            results[index] = work(index)
        except Exception as exc:  # the test inspects it
            results[index] = exc
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results
