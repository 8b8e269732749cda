"""Index-backed substring search: the ids whose text contains a query, case-insensitively.

`text_matches(...)` returns a subquery for `filter(pk__in=...)`: the caller's queryset keeps its
scope, ordering and pagination, and only the matching ids come from the text index.
"""

from __future__ import annotations

# SQL here is built from model metadata and constants only; query values are parameters
# ruff: noqa: S608, S611
from django.apps import apps
from django.db import connections, router
from django.db.models.expressions import RawSQL

from guanxi.search.indexes import COMPANY_ALIASES, COMPANY_NAMES, GRAMS_FUNCTION, TextSource

# shorter queries are below a trigram and use the gram index instead
TRIGRAM = 3


def fts_phrase(value: str) -> str:
    """The query as one FTS5 phrase: double quotes doubled, so that operators (AND, NEAR, *,
    -, ^, column filters) inside it are plain text."""
    return '"' + value.replace('"', '""') + '"'


def fts_query_for(source: TextSource, value: str) -> tuple[str, str] | None:
    """The SQLite FTS table and MATCH query for `value`, or None when only a scan can answer
    (a one- or two-character query with punctuation, which only exists between tokens)."""
    if len(value) >= TRIGRAM:
        return source.trigrams, fts_phrase(value)
    if value.isalnum():
        # a one-character query is a prefix of the character pairs that start with it
        return source.grams, fts_phrase(value) + ("*" if len(value) == 1 else "")
    return None


def text_matches(source: TextSource, value: str, *, workspace=None) -> tuple[str, list]:
    """SELECT of `source.ref` for the rows of `workspace` (all rows if None) whose text
    columns contain `value`; `value` must not be empty."""
    model = apps.get_model(source.model)
    connection = connections[router.db_for_read(model)]
    sql, params = _matching_select(source, value, connection)
    if workspace is not None:
        workspace_pk = model._meta.get_field("workspace").target_field
        sql += " AND workspace_id = %s"
        params.append(workspace_pk.get_db_prep_value(workspace.pk, connection))
    return sql, params


def _matching_select(source: TextSource, value: str, connection) -> tuple[str, list]:
    table = source.table()
    if connection.vendor == "sqlite":
        if fts := fts_query_for(source, value):
            table_name, query = fts
            return (
                f"SELECT {source.ref} AS ref FROM {table} "
                f"WHERE rowid IN (SELECT rowid FROM {table_name} WHERE {table_name} MATCH %s)",
                [query],
            )
        # short queries of symbols are rare: scan
        pattern = "%" + connection.ops.prep_for_like_query(value) + "%"
        where = " OR ".join(f"{column} LIKE %s ESCAPE '\\'" for column in source.columns)
        return (
            f"SELECT {source.ref} AS ref FROM {table} WHERE ({where})",
            [pattern] * len(source.columns),
        )
    conditions = [postgres_contains(column, value, connection) for column in source.columns]
    where = " OR ".join(sql for sql, _params in conditions)
    return (
        f"SELECT {source.ref} AS ref FROM {table} WHERE ({where})",
        [param for _sql, params in conditions for param in params],
    )


def postgres_contains(column_sql: str, value: str, connection) -> tuple[str, list[str]]:
    """PostgreSQL condition that the column contains `value`, in the form its text index
    answers: the gram array below a trigram, else the expression of the pg_trgm index (and of
    Django's icontains)."""
    if len(value) < TRIGRAM:
        return f"{GRAMS_FUNCTION}({column_sql}) @> ARRAY[lower(%s::text)]", [value]
    pattern = "%" + connection.ops.prep_for_like_query(value) + "%"
    return f"UPPER({column_sql}::text) LIKE UPPER(%s)", [pattern]


def postgres_contains_cheaply(column_sql: str, value: str) -> tuple[str, list[str]]:
    """PostgreSQL condition that the column contains `value` (case-insensitively, as the gram
    index matches) in a form no index answers but a row is checked by in well under 1 µs,
    where the gram function costs about 15 µs."""
    return f"strpos(lower({column_sql}::text), lower(%s::text)) > 0", [value]


def matching_ids(source: TextSource, value: str, *, workspace=None) -> RawSQL:
    sql, params = text_matches(source, value, workspace=workspace)
    return RawSQL(sql, params)


def matching_company_ids(value: str, *, workspace=None) -> RawSQL:
    """Companies whose name, short name or one of whose aliases contains `value`."""
    names_sql, names_params = text_matches(COMPANY_NAMES, value, workspace=workspace)
    aliases_sql, aliases_params = text_matches(COMPANY_ALIASES, value, workspace=workspace)
    return RawSQL(f"{names_sql} UNION {aliases_sql}", [*names_params, *aliases_params])
