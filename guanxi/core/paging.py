"""Page numbers for list pages without counting whole tables: counts stop at a cap."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

PAGE_SIZE = 50
COUNT_CAP = 10_000
# deep OFFSETs get slow on big tables; past the cap people narrow the filters instead
MAX_PAGE = COUNT_CAP // PAGE_SIZE


@dataclass(frozen=True)
class ListPage:
    """One page of a list: its rows, where it is, and the (capped) number of matches."""

    object_list: list[Any]
    number: int
    per_page: int
    has_next: bool
    # None: left out, to be loaded after the rows (paginate's `count=False`)
    count: int | None
    count_is_capped: bool
    # more rows match than may be paged through (see MAX_PAGE)
    beyond_page_limit: bool = False

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1

    @property
    def start_index(self) -> int:
        return (self.number - 1) * self.per_page + 1 if self.object_list else 0

    @property
    def end_index(self) -> int:
        return (self.number - 1) * self.per_page + len(self.object_list)


def page_number(raw: Any) -> int:
    """A page number from the query string: garbage means 1, big numbers stop at MAX_PAGE."""
    try:
        number = int(str(raw))
    except (TypeError, ValueError):
        return 1
    return min(max(number, 1), MAX_PAGE)


def paginate(
    queryset: QuerySet,
    number: int,
    *,
    per_page: int = PAGE_SIZE,
    cap: int = COUNT_CAP,
    count: bool = True,
) -> ListPage:
    """Fetch one page (plus one row to know whether a next page exists) and a capped count.

    The count query is skipped when the page itself shows where the list ends. With
    `count=False` it is skipped always, and the count is None unless the page shows it.
    """
    offset = (number - 1) * per_page
    rows = list(queryset[offset : offset + per_page + 1])
    has_next = len(rows) > per_page
    rows = rows[:per_page]
    total: int | None
    if not has_next and (rows or number == 1):
        total = offset + len(rows)
    else:
        total = capped_count(queryset, cap) if count else None
    return ListPage(
        object_list=rows,
        number=number,
        per_page=per_page,
        has_next=has_next and number < MAX_PAGE,
        count=None if total is None else min(total, cap),
        count_is_capped=total is not None and total > cap,
        beyond_page_limit=has_next and number >= MAX_PAGE,
    )


def capped_count(queryset: QuerySet, cap: int = COUNT_CAP) -> int:
    """The number of rows, counted up to cap + 1 (more than cap means "cap+")."""
    return queryset.order_by().values("pk")[: cap + 1].count()
