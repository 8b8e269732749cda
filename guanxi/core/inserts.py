"""Multi-row INSERTs for bulk loads: bulk_create's statements, without its per-value compiling."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.db import connections, models, router

TEXT_PREPARES = (models.CharField.get_prep_value, models.TextField.get_prep_value)


def stores_strings_as_they_are(field: models.Field) -> bool:
    """Char/text fields (URL, blind index…) that keep the stock preparation, which returns a
    plain str unchanged; EncryptedTextField overrides it and so does not qualify."""
    kind = type(field)
    return (
        kind.get_db_prep_save is models.Field.get_db_prep_save
        and kind.get_db_prep_value is models.Field.get_db_prep_value
        and kind.get_prep_value in TEXT_PREPARES
    )


def column_preparer(field: models.Field, connection: Any) -> Callable[[Any], Any]:
    """The field's get_db_prep_save, skipped for the plain strings it would return unchanged:
    most columns are text, and the call chain per value was most of an insert's cost."""
    prepare = field.get_db_prep_save
    if stores_strings_as_they_are(field):
        return lambda value: value if type(value) is str else prepare(value, connection)
    return lambda value: prepare(value, connection)


def rows_insert(
    model: type[models.Model],
    fields: Sequence[models.Field],
    rows: Sequence[Sequence[Any]],
    *,
    batch_size: int,
) -> None:
    """Insert plain value tuples (one value per field, in order) in as few statements as the
    database allows; each value is still prepared by its field (encryption, UUID/JSON forms)."""
    if not rows:
        return
    connection = connections[router.db_for_write(model)]
    prepares = [column_preparer(field, connection) for field in fields]
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    columns = ", ".join(quote(field.column) for field in fields)
    # only quoted names from the model's meta go into the SQL; values are parameters
    head = f"INSERT INTO {table} ({columns}) VALUES "  # noqa: S608
    row_sql = f"({', '.join(['%s'] * len(fields))})"
    if connection.vendor == "postgresql":
        columns_insert(connection, head, fields, prepares, rows, batch_size)
        return
    # SQLite caps the parameters per statement: the same batch size bulk_create would use
    size = max(1, min(batch_size, connection.ops.bulk_batch_size(list(fields), rows)))
    with connection.cursor() as cursor:
        for start in range(0, len(rows), size):
            batch = rows[start : start + size]
            params = [
                prepare(value)
                for row in batch
                for prepare, value in zip(prepares, row, strict=True)
            ]
            cursor.execute(head + ", ".join([row_sql] * len(batch)), params)


def columns_insert(
    connection: Any,
    head: str,
    fields: Sequence[models.Field],
    prepares: Sequence[Callable[[Any], Any]],
    rows: Sequence[Sequence[Any]],
    batch_size: int,
) -> None:
    """PostgreSQL: one array parameter per column, unnested into rows. A statement with a
    placeholder per value made psycopg re-parse tens of kilobytes of SQL for every batch
    (statements that long are not cached): 1.4 s of an import of 5,000 contacts."""
    # only the fields' own column types go into the SQL; values are parameters
    arrays = ", ".join(f"%s::{field.db_type(connection)}[]" for field in fields)
    sql = f"{head.removesuffix(' VALUES ')} SELECT * FROM unnest({arrays})"  # noqa: S608
    with connection.cursor() as cursor:
        for start in range(0, len(rows), batch_size):
            batch = rows[start : start + batch_size]
            columns = [
                [prepare(row[index]) for row in batch] for index, prepare in enumerate(prepares)
            ]
            cursor.execute(sql, columns)


def instances_insert(
    model: type[models.Model], instances: Sequence[models.Model], *, batch_size: int
) -> None:
    """bulk_create for instances whose primary key is already set (UUID defaults): fields'
    pre_save still runs (timestamps, blind indexes) and the instances count as saved after."""
    fields = model._meta.local_concrete_fields
    for instance in instances:
        # as bulk_create: refuses unsaved related objects, copies saved ones' keys into *_id
        instance._prepare_related_fields_for_save(operation_name="instances_insert")
    rows = [tuple(field.pre_save(instance, True) for field in fields) for instance in instances]
    rows_insert(model, fields, rows, batch_size=batch_size)
    database = router.db_for_write(model)
    for instance in instances:
        instance._state.adding = False
        instance._state.db = database
