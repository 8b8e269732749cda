"""Jobs on Redis: a RedisHuey queue enqueues, a consumer executes, and /healthz sees the queue.

Needs the Redis server at 127.0.0.1:6379 (database 15, keys under a unique name, flushed after):
skipped when it is unreachable, except in CI (CI=true), where that is a failure.
"""

from __future__ import annotations

import os
import uuid

import pytest
import redis
from huey import RedisHuey

from guanxi.core import health

REDIS_URL = "redis://127.0.0.1:6379/15"
IN_CI = os.environ.get("CI", "").lower() == "true"


def redis_reachable() -> bool:
    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


@pytest.fixture
def redis_huey():
    if not redis_reachable():
        if IN_CI:
            pytest.fail(
                f"CI=true but Redis at {REDIS_URL} is unreachable: the Redis suite is required."
            )
        pytest.skip(f"Redis at {REDIS_URL} is unreachable (required only when CI=true)")
    huey = RedisHuey(name=f"guanxi-test-{uuid.uuid4().hex}", url=REDIS_URL, immediate=False)
    yield huey
    huey.flush()
    huey.storage.conn.close()


def test_a_task_is_enqueued_and_a_consumer_executes_it(redis_huey):
    @redis_huey.task()
    def add_up(a: int, b: int) -> int:
        return a + b

    # given a task enqueued by the web process
    result = add_up(20, 22)
    assert redis_huey.pending_count() == 1
    # when a consumer takes it off the queue and runs it
    task = redis_huey.dequeue()
    returned = redis_huey.execute(task)
    # then it ran once and its result is stored for the caller
    assert returned == 42
    assert redis_huey.pending_count() == 0
    assert result.get() == 42


def test_flush_leaves_no_keys_of_the_test_queue(redis_huey):
    @redis_huey.task()
    def noop() -> None:
        return None

    noop()
    redis_huey.flush()
    keys = redis.Redis.from_url(REDIS_URL).keys(f"*{redis_huey.name}*")
    assert keys == []


@pytest.mark.django_db
def test_healthz_reports_the_redis_queue_ok(redis_huey, client, monkeypatch):
    monkeypatch.setattr(health, "HUEY", redis_huey)
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["job_queue"] == "ok"
