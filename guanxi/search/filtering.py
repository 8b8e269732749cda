"""Narrowing a list queryset to search matches without losing its index-ordered pages.

A list page wants the newest 50 matches. With few matches the database should read just those
rows and sort them; with many (a common surname: 张 is 7 % of Chinese names) it should walk the
list's own `(workspace, -id)` index and keep the rows that match, stopping after one page.
PostgreSQL's planner makes that choice from its statistics. SQLite's does not (it takes every
`IN (subquery)` for a short list, and sorted 70,000 rows for 张), so here the matches are
counted up to a bound first, and a large match set is probed with unary `+`, which stops
SQLite from driving the query by that term. On SQLite the contact names are matched by rowid,
which the FTS tables share with the contacts table: no lookup of ids per match.
"""

from __future__ import annotations

from django.db import connections
from django.db.models import Expression, F, Func, IntegerField, Q, QuerySet
from django.db.models.expressions import RawSQL

from guanxi.search.indexes import TextSource
from guanxi.search.matching import fts_query_for, matching_ids

# at most this many matches are read and sorted; more are probed in index order
MANY_MATCHES = 2000
RELATED_WEIGHT = 10


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
        return postgres_search(
            queryset, union_of_matches(queryset, value, source, workspace, related)
        )
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


def postgres_search(queryset: QuerySet, matches: RawSQL) -> QuerySet:
    """A few matches are read first and given as a list: with the subquery, a rare name
    (14 matches among 1,000,000 contacts) made PostgreSQL expect 1,500 and walk the whole
    list index in id order to merge them (450 ms); many matches keep the semi-join, which
    finds a page of them early in that walk."""
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(
            f"SELECT ref FROM ({matches.sql}) AS matches(ref) LIMIT {MANY_MATCHES + 1}",  # noqa: S608
            matches.params,
        )
        ids = [row[0] for row in cursor.fetchall()]
    if len(ids) <= MANY_MATCHES:
        return queryset.filter(pk__in=ids)
    return queryset.filter(pk__in=matches)


def union_of_matches(
    queryset: QuerySet, value: str, source: TextSource, workspace, related: dict[str, RawSQL]
) -> RawSQL:
    """PostgreSQL: one subquery of matching ids, which the planner turns into a semi-join and
    drives from whichever side its statistics say is smaller (an OR of two IN-subqueries
    would be checked row by row along the whole list instead)."""
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
    return RawSQL(" UNION ".join(parts), params)  # noqa: S611


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
