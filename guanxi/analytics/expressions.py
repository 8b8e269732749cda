"""SQL expressions of the reports, written per database where Django's own would be slow: on
SQLite its datetime arithmetic calls back into Python once per row, on PostgreSQL rounding a
numeric per row costs more than the rest of a report."""

from __future__ import annotations

from typing import Any

from django.db import NotSupportedError
from django.db.models import BigIntegerField, Func


class EpochSeconds(Func):
    """A datetime as whole seconds since 1970-01-01 UTC, computed by the database itself.

    SQLite stores Django's datetimes as UTC text, which strftime('%s') reads natively;
    PostgreSQL's EXTRACT(EPOCH …) has fractions, floored to match.
    """

    arity = 1
    output_field = BigIntegerField()

    def as_sql(self, compiler: Any, connection: Any, **extra_context: Any) -> Any:
        raise NotSupportedError(f"EpochSeconds is not implemented for {connection.vendor}.")

    def as_sqlite(self, compiler: Any, connection: Any, **extra_context: Any) -> Any:
        # '%' is doubled twice: once for this template, once for the cursor's parameter style
        return super().as_sql(
            compiler,
            connection,
            template="CAST(strftime('%%%%s', %(expressions)s) AS INTEGER)",
            **extra_context,
        )

    def as_postgresql(self, compiler: Any, connection: Any, **extra_context: Any) -> Any:
        return super().as_sql(
            compiler,
            connection,
            template="CAST(FLOOR(EXTRACT(EPOCH FROM %(expressions)s)) AS BIGINT)",
            **extra_context,
        )


class Cents(Func):
    """A money value (two decimal places) as whole cents, so that sums of it are exact.

    SQLite stores decimals as floating point (1234.55 × 100 = 123454.99999…), hence the rounding;
    PostgreSQL's numeric is exact, and its cast to an integer would round anyway.
    """

    arity = 1
    output_field = BigIntegerField()
    template = "CAST(%(expressions)s * 100 AS BIGINT)"

    def as_sqlite(self, compiler: Any, connection: Any, **extra_context: Any) -> Any:
        return super().as_sql(
            compiler,
            connection,
            template="CAST(ROUND(%(expressions)s * 100) AS INTEGER)",
            **extra_context,
        )
