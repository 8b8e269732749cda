"""Narrowing a list queryset to search matches without losing its index-ordered pages.

A list page wants the newest 50 matches and a count of them up to paginate's cap. With few
matches the database should read just those rows and sort them; with many (a common surname:
张 is 7 % of Chinese names) it should walk the list's own `(workspace, -id)` index and keep
the rows that match, stopping after one page. Neither planner chooses well from its
statistics, so the matches are counted (SQLite) or read (PostgreSQL) up to a bound first.
SQLite probes a large match set with unary `+`, which stops it from driving the query by that
term; on SQLite the contact names are matched by rowid, which the FTS tables share with the
contacts table: no lookup of ids per match. PostgreSQL checks a large match set row by row in
the form its indexes answer, so the count is a bitmap scan of those indexes.
"""

from __future__ import annotations

from typing import Any

from django.db import connections
from django.db.models import BooleanField, Expression, F, Func, IntegerField, Q, QuerySet
from django.db.models.expressions import RawSQL

from guanxi.search.indexes import TextSource
from guanxi.search.matching import TRIGRAM, fts_query_for, matching_ids, postgres_contains

# at most this many matches are read and sorted; more are probed in index order. Probing
# pages fast, but counting the matches (up to paginate's cap) then checks every row until the
# cap: 650 ms on SQLite for 3,800 matches among 1,000,000 contacts, against 7 ms for reading them
MANY_MATCHES = 10_000
# PostgreSQL counts from a bitmap of the text index instead, and checks a trigram LIKE row by
# row in well under 1 µs (the gram function below a trigram costs about 20 µs)
POSTGRES_MANY_TRIGRAM_MATCHES = 2000
RELATED_WEIGHT = 10
# PostgreSQL: related matches (companies) given to a large search as a list, at most
MANY_RELATED = 20_000


class RowId(Expression):
    """SQLite's rowid of the query's base table; `probe` prefixes unary + (no index use)."""

    output_field = IntegerField()

    def __init__(self, *, probe: bool = False):
        super().__init__()
        self.probe = probe

    def as_sql(self, compiler, connection):
        # the alias is looked up when compiled, so it stays right inside subqueries (U0…)
        alias = compiler.quote_name_unless_alias(compiler.query.get_initial_alias())
        return f"{'+' if self.probe else ''}{alias}.rowid", []


def probed(field: str) -> Func:
    return Func(F(field), template="+%(expressions)s")


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
        queryset = queryset.alias(search_rowid=RowId(probe=probe))
        condition |= Q(search_rowid__in=RawSQL(own_sql, own_params))  # noqa: S611
    else:
        condition |= Q(pk__in=matching_ids(source, value, workspace=workspace))
    for number, (field, subquery) in enumerate(related.items()):
        if probe:
            name = f"search_related_{number}"
            queryset = queryset.alias(**{name: probed(field)})
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
    many = MANY_MATCHES if len(value) < TRIGRAM else POSTGRES_MANY_TRIGRAM_MATCHES
    matches = union_of_matches(queryset, value, source, workspace, related)
    refs = first_refs(queryset.db, matches, many + 1)
    if len(refs) <= many:
        return queryset.filter(AnyOf("pk", list(set(refs))))
    condition = Q()
    for column in source.columns:
        condition |= Q(Contains(column, value))
    for field, subquery in related.items():
        condition |= related_condition(queryset, field, subquery)
    return queryset.filter(condition)


def related_condition(queryset: QuerySet, field: str, subquery: RawSQL) -> Q:
    """`field` among the related matches: up to MANY_RELATED as one array value, which the
    field's index answers in a bitmap (for the count) and a hash answers row by row (along the
    list index); more stay a subquery."""
    values = first_refs(queryset.db, subquery, MANY_RELATED + 1)
    if len(values) <= MANY_RELATED:
        return Q(AnyOf(field, values))
    return Q(**{f"{field}__in": subquery})


def first_refs(db: str, refs: RawSQL, limit: int) -> list:
    """The first `limit` values of a one-column subquery."""
    with connections[db].cursor() as cursor:
        cursor.execute(f"SELECT ref FROM ({refs.sql}) AS refs(ref) LIMIT {limit}", refs.params)  # noqa: S608
        return [row[0] for row in cursor.fetchall()]


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


class AnyOf(ColumnCondition):
    """`column = ANY(array of values)`. One array parameter is parsed and planned faster than
    `IN` with 2,000 parameters; inside an OR the column's index can still answer it in a
    bitmap, and row by row PostgreSQL checks it with a hash."""

    def condition_sql(self, column_sql: str, connection) -> tuple[str, list]:
        return f"{column_sql} = ANY(%s)", [self.value]


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
