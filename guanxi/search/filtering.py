"""Narrowing a list queryset to search matches without losing its index-ordered pages.

A list page wants the newest 50 matches and a count of them up to paginate's cap. With few
matches the database should read just those rows and sort them; with many (a common surname:
张 is 7 % of Chinese names) it should walk the list's own `(workspace, -id)` index and keep
the rows that match, stopping after one page. Neither planner chooses well from its
statistics, so the matches are counted (SQLite) or read (PostgreSQL) up to a bound first.
SQLite probes a large match set with unary `+` in ordered queries, which stops it from driving
the query by that term (a count still starts from the matches); on SQLite the contact names are matched by rowid, which the FTS tables share with the
contacts table: no lookup of ids per match. PostgreSQL checks a large match set row by row in
the form its indexes answer, so the count is a bitmap scan of those indexes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import connections
from django.db.models import BooleanField, Expression, F, IntegerField, Q, QuerySet
from django.db.models.expressions import RawSQL

from guanxi.search.indexes import TextSource
from guanxi.search.matching import (
    TRIGRAM,
    fts_query_for,
    matching_ids,
    postgres_contains,
    postgres_contains_cheaply,
)

# SQLite: at most this many matches are read and sorted; with more, a page is probed in index
# order (Probed). Sorting costs about 9 µs a match, as SQLite joins owner and company first:
# 65 ms for 8,909 matches, against 14 ms probed
MANY_MATCHES = 2000
# PostgreSQL: at most this many matches are read first and given as a list; with more, rows
# are checked in the form the indexes answer. A list of 9,000 ids made the page and its count
# look each one up in the primary key (45 ms); the bitmap of the text index counts them in 15 ms
POSTGRES_MANY_MATCHES = 2000
RELATED_WEIGHT = 10
# PostgreSQL: related matches (companies) given to a large search as a list, at most
MANY_RELATED = 20_000


class RowId(Expression):
    """SQLite's rowid of the query's base table."""

    output_field = IntegerField()

    def as_sql(self, compiler, connection):
        # the alias is looked up when compiled, so it stays right inside subqueries (U0…)
        return f"{compiler.quote_name_unless_alias(compiler.query.get_initial_alias())}.rowid", []


class Probed(Expression):
    """SQLite: the expression with unary `+` (no index use) where the query is ordered, so that
    a page walks the list's index and checks each row against the matches; an unordered query
    (paginate's count) is left to start from the matches, and stops after the cap."""

    def __init__(self, expression: Expression):
        super().__init__()
        self.expression = expression

    def get_source_expressions(self) -> list:
        return [self.expression]

    def set_source_expressions(self, expressions: list) -> None:
        (self.expression,) = expressions

    def _resolve_output_field(self):
        return self.expression.output_field

    def as_sql(self, compiler, connection):
        sql, params = compiler.compile(self.expression)
        return (f"+{sql}" if is_ordered(compiler.query) else sql), params


def is_ordered(query) -> bool:
    return bool(query.order_by or query.extra_order_by) or (
        query.default_ordering and bool(query.get_meta().ordering)
    )


def text_search(
    queryset: QuerySet,
    value: str,
    *,
    source: TextSource,
    workspace=None,
    related: dict[str, RawSQL] | None = None,
) -> QuerySet:
    """Rows of `queryset` whose `source` text contains `value`, or whose `related` field
    (name → subquery of values) is in its subquery."""
    related = related or {}
    connection = connections[queryset.db]
    if connection.vendor != "sqlite":
        return postgres_search(queryset, value, source, workspace, related)
    fts = fts_query_for(source, value) if connection.vendor == "sqlite" else None
    own_sql, own_params = (
        (f"SELECT rowid FROM {fts[0]} WHERE {fts[0]} MATCH %s", [fts[1]])  # noqa: S608
        if fts
        else (None, None)
    )
    probe = matches_many(connection, own_sql, own_params, related)
    condition = Q()
    if own_sql:
        queryset = queryset.alias(search_rowid=Probed(RowId()) if probe else RowId())
        condition |= Q(search_rowid__in=RawSQL(own_sql, own_params))  # noqa: S611
    else:
        condition |= Q(pk__in=matching_ids(source, value, workspace=workspace))
    for number, (field, subquery) in enumerate(related.items()):
        if probe:
            name = f"search_related_{number}"
            queryset = queryset.alias(**{name: Probed(F(field))})
            field = name
        condition |= Q(**{f"{field}__in": subquery})
    return queryset.filter(condition)


def postgres_search(
    queryset: QuerySet, value: str, source: TextSource, workspace, related: dict[str, RawSQL]
) -> QuerySet:
    """A few matches are read first and given as a list: with the subquery, a rare name
    (14 matches among 1,000,000 contacts) made PostgreSQL expect 1,500 and walk the whole
    list index in id order to merge them (450 ms). Many matches (张: 58,000) are not read
    first: every row is checked by conditions the text and foreign key indexes answer, so
    the planner walks the list index in page order and stops after a page, or counts from a
    bitmap of the indexes (a subquery of all matches took 800 ms to read whole first)."""
    matches = union_of_matches(queryset, value, source, workspace, related)
    refs = first_refs(queryset.db, matches, POSTGRES_MANY_MATCHES + 1)
    if refs.count <= POSTGRES_MANY_MATCHES:
        return queryset.filter(AnyOf("pk", refs))
    indexed, cheap = Q(), Q()
    for column in source.columns:
        indexed |= Q(Contains(column, value))
        cheap |= Q(ContainsCheaply(column, value))
    for field, subquery in related.items():
        related_match = related_condition(queryset, field, subquery)
        indexed |= related_match
        cheap |= related_match
    if len(value) >= TRIGRAM:
        # the trigram index's own expression is cheap to check row by row
        return queryset.filter(indexed)
    # Both: the planner checks the cheaper condition first, so along the list index the gram
    # function runs for matching rows only; in a bitmap scan the indexed condition is exactly
    # the bitmap's and is not checked again, and the cheap one is all that is
    return queryset.filter(cheap, indexed)


def related_condition(queryset: QuerySet, field: str, subquery: RawSQL) -> Q:
    """`field` among the related matches: up to MANY_RELATED as one array value, which the
    field's index answers in a bitmap (for the count) and a hash answers row by row (along the
    list index); more stay a subquery."""
    values = first_refs(queryset.db, subquery, MANY_RELATED + 1)
    if values.count <= MANY_RELATED:
        return Q(AnyOf(field, values))
    return Q(**{f"{field}__in": subquery})


@dataclass(frozen=True)
class Refs:
    """Values read from the database, kept as PostgreSQL's text of an array: passed back as one
    string, 9,000 ids cost 1 ms where converting them to UUIDs and back cost 35 ms."""

    count: int
    array_text: str


def first_refs(db: str, refs: RawSQL, limit: int) -> Refs:
    """The first `limit` values of a one-column subquery (PostgreSQL)."""
    with connections[db].cursor() as cursor:
        cursor.execute(
            "SELECT count(*), coalesce(array_agg(ref)::text, '{}') "  # noqa: S608
            f"FROM (SELECT ref FROM ({refs.sql}) AS refs(ref) LIMIT {limit}) AS firsts",
            refs.params,
        )
        count, array_text = cursor.fetchone()
    return Refs(count, array_text)


class ColumnCondition(Expression):
    """PostgreSQL: a condition on one column of the row and a value that is not an expression
    (subclasses say how, in `condition_sql`)."""

    output_field = BooleanField()
    conditional = True

    def __init__(self, column: str, value: Any):
        super().__init__()
        self.column = F(column)
        self.value = value

    def get_source_expressions(self) -> list:
        return [self.column]

    def set_source_expressions(self, expressions: list) -> None:
        (self.column,) = expressions

    def as_sql(self, compiler, connection):
        # a column reference has no parameters of its own, so it may appear twice in the SQL
        column_sql, _no_params = compiler.compile(self.column)
        return self.condition_sql(column_sql, connection)

    def condition_sql(self, column_sql: str, connection) -> tuple[str, list]:
        raise NotImplementedError


class Contains(ColumnCondition):
    """The column contains the text (see matching.postgres_contains)."""

    def condition_sql(self, column_sql: str, connection) -> tuple[str, list]:
        return postgres_contains(column_sql, self.value, connection)


class ContainsCheaply(ColumnCondition):
    """The column contains the text (see matching.postgres_contains_cheaply)."""

    def condition_sql(self, column_sql: str, connection) -> tuple[str, list]:
        return postgres_contains_cheaply(column_sql, self.value)


class AnyOf(ColumnCondition):
    """`column = ANY(array of refs)`. One array parameter is parsed and planned faster than
    `IN` with 2,000 parameters; inside an OR the column's index can still answer it in a
    bitmap, and row by row PostgreSQL checks it with a hash."""

    def condition_sql(self, column_sql: str, connection) -> tuple[str, list]:
        array_type = self.column.output_field.cast_db_type(connection)
        return f"{column_sql} = ANY(%s::{array_type}[])", [self.value.array_text]


def union_of_matches(
    queryset: QuerySet, value: str, source: TextSource, workspace, related: dict[str, RawSQL]
) -> RawSQL:
    """PostgreSQL: one subquery of matching ids, from the text indexes. `UNION ALL`, so that
    its first rows come without reading every match (a record found twice is one row of the
    list all the same)."""
    own = matching_ids(source, value, workspace=workspace)
    parts, params = [own.sql], list(own.params)
    meta = queryset.model._meta
    for field, subquery in related.items():
        if field == "pk":
            parts.append(subquery.sql)
        else:
            column = meta.get_field(field).column
            # with the workspace, (workspace, company, id) answers it from the index alone
            scope, scope_params = workspace_clause(queryset, workspace)
            parts.append(
                f"SELECT {meta.pk.column} FROM {meta.db_table} "  # noqa: S608
                f"WHERE {column} IN ({subquery.sql}){scope}"
            )
            params += subquery.params + scope_params
            continue
        params += subquery.params
    return RawSQL(" UNION ALL ".join(parts), params)  # noqa: S611


def workspace_clause(queryset: QuerySet, workspace) -> tuple[str, list]:
    if workspace is None:
        return "", []
    field = queryset.model._meta.get_field("workspace")
    connection = connections[queryset.db]
    value = field.target_field.get_db_prep_value(workspace.pk, connection)
    return f" AND {field.column} = %s", [value]


def matches_many(connection, own_sql: str | None, own_params, related: dict) -> bool:
    """Whether the matches, counted up to a bound, exceed what is cheap to read and sort; a
    related match (a company) stands for RELATED_WEIGHT rows (its contacts)."""
    queries = [(own_sql, own_params, 1)] if own_sql else []
    queries += [(subquery.sql, subquery.params, RELATED_WEIGHT) for subquery in related.values()]
    total = 0
    with connection.cursor() as cursor:
        for sql, params, weight in queries:
            bound = MANY_MATCHES // weight + 1
            cursor.execute(f"SELECT count(*) FROM ({sql} LIMIT {bound})", params)  # noqa: S608
            total += cursor.fetchone()[0] * weight
            if total > MANY_MATCHES:
                return True
    return False
