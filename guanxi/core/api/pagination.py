"""Cursor pagination: constant cost on any page of a million-row list (no OFFSET, no COUNT)."""

from rest_framework.pagination import CursorPagination


class RecordCursorPagination(CursorPagination):
    # UUIDv7 ids are time-ordered and unique: a stable cursor for "newest first".
    ordering = "-id"
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
