"""The text indexes behind name search, outside Django's model state because they are
vendor-specific: SQLite FTS5 tables kept in sync by triggers, PostgreSQL GIN indexes.

Every searched text gets two indexes. Trigrams answer queries of three or more characters
(a substring has all its trigrams); one- and two-character queries, common for Chinese
surnames and given names (张, 张伟), are shorter than a trigram and use "grams" instead: the
text's single characters and character pairs (SQLite: an FTS5 table whose tokens are the
pairs, searched by exact token or by one-character prefix; PostgreSQL: a GIN index over an
array of them).
"""

from __future__ import annotations

# SQL here is built from model metadata and constants only; query values are parameters
# ruff: noqa: S608
from collections.abc import Iterator
from dataclasses import dataclass

from django.apps import apps as global_apps
from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper

GRAMS_FUNCTION = "guanxi_search_grams"


@dataclass(frozen=True)
class TextSource:
    """Text columns of one table; a match yields the value of `ref` (its record's id, or for
    an alias the id of the company it names)."""

    name: str
    model: str
    columns: tuple[str, ...]
    ref: str

    def table(self, apps=global_apps) -> str:
        return apps.get_model(self.model)._meta.db_table

    def max_length(self, column: str, apps=global_apps) -> int:
        return apps.get_model(self.model)._meta.get_field(column).max_length

    @property
    def trigrams(self) -> str:
        return f"search_{self.name}_trigrams"

    @property
    def grams(self) -> str:
        return f"search_{self.name}_grams"


CONTACT_NAMES = TextSource("contact", "contacts.Contact", ("name",), "id")
COMPANY_NAMES = TextSource("company", "companies.Company", ("name", "short_name"), "id")
COMPANY_ALIASES = TextSource("company_alias", "companies.CompanyAlias", ("name",), "company_id")
SOURCES = (CONTACT_NAMES, COMPANY_NAMES, COMPANY_ALIASES)


# --- SQLite -----------------------------------------------------------------------------------
def sqlite_pairs(expression: str, length: int) -> str:
    """SQL for the text's overlapping character pairs separated by spaces ("张伟明" → "张伟 伟明
    明"); the unicode61 tokenizer makes each pair a token. Triggers cannot loop, hence one
    substr() per position up to the column's maximum length."""
    return " || ' ' || ".join(f"substr({expression}, {i}, 2)" for i in range(1, length + 1))


def sqlite_values(source: TextSource, row: str, *, pairs: bool, apps=global_apps) -> list[str]:
    """The indexed values of `row` ("new", "old" or "" for the table itself)."""
    prefix = f"{row}." if row else ""
    if not pairs:
        return [f"{prefix}{column}" for column in source.columns]
    return [
        sqlite_pairs(f"{prefix}{column}", source.max_length(column, apps))
        for column in source.columns
    ]


def sqlite_statements(source: TextSource, apps=global_apps) -> Iterator[str]:
    """External-content FTS5 tables over the source table (the text is not stored twice): a
    match yields the record's rowid; triggers keep them in step."""
    table = source.table(apps)
    columns = ", ".join(source.columns)
    options = {
        source.trigrams: "tokenize = 'trigram case_sensitive 0'",
        source.grams: "tokenize = 'unicode61 remove_diacritics 0', prefix = '1', detail = 'none'",
    }
    for fts, pairs in ((source.trigrams, False), (source.grams, True)):
        yield (
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {fts} USING fts5({columns}, "
            f"content = '{table}', content_rowid = 'rowid', {options[fts]})"
        )
        new = ", ".join(["new.rowid", *sqlite_values(source, "new", pairs=pairs, apps=apps)])
        # an external-content index forgets a row when told the values it indexed
        old = ", ".join(["old.rowid", *sqlite_values(source, "old", pairs=pairs, apps=apps)])
        insert = f"INSERT INTO {fts} (rowid, {columns}) VALUES ({new});"
        delete = f"INSERT INTO {fts} ({fts}, rowid, {columns}) VALUES ('delete', {old});"
        yield (
            f"CREATE TRIGGER IF NOT EXISTS {fts}_insert AFTER INSERT ON {table} BEGIN {insert} END"
        )
        yield (
            f"CREATE TRIGGER IF NOT EXISTS {fts}_update AFTER UPDATE OF {columns} ON {table} "
            f"BEGIN {delete} {insert} END"
        )
        yield (
            f"CREATE TRIGGER IF NOT EXISTS {fts}_delete AFTER DELETE ON {table} BEGIN {delete} END"
        )


def sqlite_fill(source: TextSource, apps=global_apps) -> Iterator[str]:
    """Empties and refills both FTS tables from the source table."""
    table = source.table(apps)
    columns = ", ".join(source.columns)
    for fts, pairs in ((source.trigrams, False), (source.grams, True)):
        values = ", ".join(sqlite_values(source, "", pairs=pairs, apps=apps))
        yield f"INSERT INTO {fts} ({fts}) VALUES ('delete-all')"
        yield f"INSERT INTO {fts} (rowid, {columns}) SELECT rowid, {values} FROM {table}"


def sqlite_drop(source: TextSource) -> Iterator[str]:
    for table_name in (source.trigrams, source.grams):
        for event in ("insert", "update", "delete"):
            yield f"DROP TRIGGER IF EXISTS {table_name}_{event}"
        yield f"DROP TABLE IF EXISTS {table_name}"


def sqlite_triggers_missing(connection: BaseDatabaseWrapper) -> bool:
    expected = {
        f"{table_name}_{event}"
        for source in SOURCES
        for table_name in (source.trigrams, source.grams)
        for event in ("insert", "update", "delete")
    }
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        present = {name for (name,) in cursor.fetchall()}
    return not expected <= present


# --- PostgreSQL -------------------------------------------------------------------------------
POSTGRES_GRAMS_FUNCTION = f"""
CREATE OR REPLACE FUNCTION {GRAMS_FUNCTION}(value text) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT coalesce(array_agg(DISTINCT lower(substr(value, i, n))), '{{}}')
    FROM generate_series(1, char_length(value)) AS i, (VALUES (1), (2)) AS lengths (n)
$$"""


def postgres_statements(source: TextSource, apps=global_apps) -> Iterator[str]:
    table = source.table(apps)
    for column in source.columns:
        # the expressions Django's icontains and the gram lookup compare with
        yield (
            f"CREATE INDEX IF NOT EXISTS {source.trigrams}_{column} ON {table} "
            f"USING gin (UPPER({column}::text) gin_trgm_ops)"
        )
        yield (
            f"CREATE INDEX IF NOT EXISTS {source.grams}_{column} ON {table} "
            f"USING gin ({GRAMS_FUNCTION}({column}))"
        )


def postgres_drop(source: TextSource) -> Iterator[str]:
    for column in source.columns:
        yield f"DROP INDEX IF EXISTS {source.trigrams}_{column}"
        yield f"DROP INDEX IF EXISTS {source.grams}_{column}"


# --- install, remove, repair ------------------------------------------------------------------
def text_indexes_create(connection: BaseDatabaseWrapper, apps=global_apps) -> None:
    """Creates what is missing (idempotent); SQLite tables are filled from existing rows."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            for source in SOURCES:
                for statement in sqlite_statements(source, apps):
                    cursor.execute(statement)
                for statement in sqlite_fill(source, apps):
                    cursor.execute(statement)
        elif connection.vendor == "postgresql":
            # needs a superuser or a database owner on PostgreSQL 13+ (trusted extension)
            cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            cursor.execute(POSTGRES_GRAMS_FUNCTION)
            for source in SOURCES:
                for statement in postgres_statements(source, apps):
                    cursor.execute(statement)


def text_indexes_drop(connection: BaseDatabaseWrapper) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            for source in SOURCES:
                for statement in sqlite_drop(source):
                    cursor.execute(statement)
        elif connection.vendor == "postgresql":
            for source in SOURCES:
                for statement in postgres_drop(source):
                    cursor.execute(statement)
            cursor.execute(f"DROP FUNCTION IF EXISTS {GRAMS_FUNCTION}(text)")


def text_indexes_rebuild(connection: BaseDatabaseWrapper) -> None:
    """Refills the SQLite FTS tables, e.g. after VACUUM (which may renumber rowids) or a
    restore that bypassed the triggers; PostgreSQL's indexes need nothing."""
    if connection.vendor != "sqlite":
        return
    text_indexes_drop(connection)
    text_indexes_create(connection)


def text_indexes_ensure_after_migrate(*, using: str = "default", plan=None, **kwargs) -> None:
    """post_migrate: a migration that altered a searched SQLite table rebuilt it, which drops
    its triggers and renumbers its rowids; then the FTS tables are rebuilt as well."""
    connection = connections[using]
    if connection.vendor != "sqlite" or not plan:
        return
    if sqlite_triggers_missing(connection) and search_migrated(connection):
        text_indexes_rebuild(connection)


def search_migrated(connection: BaseDatabaseWrapper) -> bool:
    """False while migrating backwards past this app's first migration."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 1 FROM django_migrations WHERE app = 'search' AND name = '0001_initial'"
        )
        return cursor.fetchone() is not None
