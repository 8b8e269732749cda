"""Reads shared by the parts of one web request: a list's filters, its columns and its
serializer all need the workspace's custom field definitions, and read them once.

Only inside a request (RequestCacheMiddleware) is anything kept, and only until the response
is returned; jobs, services called directly and tests always read the database.
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from typing import Any, TypeVar

from django.http import HttpRequest, HttpResponse

T = TypeVar("T")

_store: ContextVar[dict[tuple, Any] | None] = ContextVar("guanxi_request_cache", default=None)


def per_request(key: tuple, compute: Callable[[], T]) -> T:
    """compute() once per request for `key` (key[0] names the kind of value)."""
    store = _store.get()
    if store is None:
        return compute()
    if key not in store:
        store[key] = compute()
    return store[key]


def request_cache_forget(kind: str) -> None:
    """Drop this request's values of one kind (their rows were just written)."""
    store = _store.get()
    if store:
        for key in [key for key in store if key[0] == kind]:
            del store[key]


class RequestCacheMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _store.set({})
        try:
            return self.get_response(request)
        finally:
            _store.reset(token)
