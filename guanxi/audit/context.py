"""Who is changing things right now, from where: set by the middleware, jobs and commands."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from guanxi.audit.choices import AuditSource


@dataclass
class AuditContext:
    source: str
    actor: Any = None
    request: Any = None
    request_id: str = field(default_factory=lambda: uuid.uuid4().hex)
    ip: str | None = None
    suppressed: bool = False
    # Changes to one object within one context fold into one event (save + tag changes = 1 row).
    events: dict[tuple[str, str], Any] = field(default_factory=dict)

    @property
    def actor_id(self) -> Any:
        actor = self.actor
        if actor is None and self.request is not None:
            actor = getattr(self.request, "user", None)
        return actor.pk if actor is not None and getattr(actor, "is_authenticated", False) else None


_current: ContextVar[AuditContext | None] = ContextVar("audit_context", default=None)
_snapshots_skipped: ContextVar[bool] = ContextVar("audit_snapshots_skipped", default=False)


def current_context() -> AuditContext:
    return _current.get() or AuditContext(source=AuditSource.SYSTEM)


@contextmanager
def audit_context(
    *,
    source: str,
    actor: Any = None,
    request: Any = None,
    request_id: str | None = None,
    ip: str | None = None,
) -> Iterator[AuditContext]:
    context = AuditContext(source=source, actor=actor, request=request, ip=ip)
    if request_id:
        context.request_id = request_id
    token = _current.set(context)
    try:
        yield context
    finally:
        _current.reset(token)


@contextmanager
def audit_suppressed() -> Iterator[None]:
    """For bulk services that write their own audit rows in bulk."""
    context = current_context()
    token = _current.set(
        AuditContext(
            source=context.source,
            actor=context.actor,
            request=context.request,
            request_id=context.request_id,
            ip=context.ip,
            suppressed=True,
        )
    )
    try:
        yield
    finally:
        _current.reset(token)


def snapshots_wanted() -> bool:
    return not _snapshots_skipped.get()


@contextmanager
def snapshots_skipped() -> Iterator[None]:
    """For code that builds many new instances and audits them itself (demo data): the
    post_init snapshot of each would never be read."""
    token = _snapshots_skipped.set(True)
    try:
        yield
    finally:
        _snapshots_skipped.reset(token)
