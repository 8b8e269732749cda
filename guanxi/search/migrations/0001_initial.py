"""Text indexes for name search: SQLite FTS5 tables with triggers, PostgreSQL pg_trgm and gram
GIN indexes (see guanxi/search/indexes.py)."""

from django.db import migrations


def create(apps, schema_editor):
    from guanxi.search.indexes import text_indexes_create

    text_indexes_create(schema_editor.connection, apps)


def drop(apps, schema_editor):
    from guanxi.search.indexes import text_indexes_drop

    text_indexes_drop(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("contacts", "0002_customer_quality_fields"),
        ("companies", "0002_customer_quality_fields"),
    ]

    operations = [migrations.RunPython(create, drop, elidable=False)]
