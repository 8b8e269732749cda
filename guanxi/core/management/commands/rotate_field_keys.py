"""`python -m guanxi rotate_field_keys`: re-encrypt every encrypted field with the active key."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand, CommandParser
from django.db import connections, models, transaction
from django.db.models.functions import Cast

from guanxi.core.crypto import keyring
from guanxi.core.fields import EncryptedTextField

BATCH_SIZE = 1000
RAW_PREFIX = "raw_"


def encrypted_fields(model: type[models.Model]) -> list[EncryptedTextField]:
    return [f for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)]


def rotate_model(model: type[models.Model], *, batch_size: int = BATCH_SIZE) -> Counter:
    """Re-encrypts the rows of one model still under an old key; counts values by their old key id.

    Blind indexes depend on the index key only, so they stay as they are.
    """
    ring = keyring()
    fields = encrypted_fields(model)
    # Cast to text skips the field's decryption: we need the stored token to read its key id
    raw = {RAW_PREFIX + f.attname: Cast(f.attname, models.TextField()) for f in fields}
    found: Counter = Counter()
    last_pk = None
    while True:
        with transaction.atomic():
            # locked so that no save between our read and our write is overwritten (PostgreSQL)
            rows = model._base_manager.select_for_update().annotate(**raw).order_by("pk")
            if last_pk is not None:
                rows = rows.filter(pk__gt=last_pk)
            batch = list(rows.values_list("pk", *raw)[:batch_size])
            if not batch:
                return found
            stale = []
            for pk, *tokens in batch:
                key_ids = [ring.key_id_of(token) for token in tokens if token]
                found.update(key_ids)
                if any(key_id != ring.active_id for key_id in key_ids):
                    stale.append((pk, [ring.decrypt(token) if token else "" for token in tokens]))
            write_batch(model, fields, stale)
            last_pk = batch[-1][0]


def write_batch(model: type[models.Model], fields: list[EncryptedTextField], rows: list) -> None:
    """One UPDATE statement run for the whole batch; the fields encrypt with the active key.

    Not bulk_update: its CASE WHEN per row and field cost 1–2 ms per row here (40× slower).
    No signals and no updated_at either: rotation changes no business data.
    """
    if not rows:
        return
    connection = connections[model._base_manager.db]
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(f.column)} = %s" for f in fields)
    pk = model._meta.pk
    # identifiers come from the model's _meta, quoted; every value is a parameter
    sql = f"UPDATE {quote(model._meta.db_table)} SET {assignments} WHERE {quote(pk.column)} = %s"  # noqa: S608
    params = [
        [
            *(
                f.get_db_prep_save(value, connection)
                for f, value in zip(fields, values, strict=True)
            ),
            pk.get_db_prep_value(pk_value, connection),
        ]
        for pk_value, values in rows
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


class Command(BaseCommand):
    help = "Re-encrypt every encrypted field with the active key (the first in GUANXI_FIELD_KEYS)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch-size", type=int, default=BATCH_SIZE)

    def handle(self, *args: Any, **options: Any) -> None:
        active = keyring().active_id
        self.stdout.write(f"Active key: {active}")
        for model in apps.get_models():
            if model._meta.proxy or not encrypted_fields(model):
                continue
            found = rotate_model(model, batch_size=max(1, options["batch_size"]))
            rotated = sum(count for key_id, count in found.items() if key_id != active)
            by_key = ", ".join(f"{key_id}: {count}" for key_id, count in sorted(found.items()))
            self.stdout.write(
                f"{model._meta.label}: re-encrypted {rotated} values "
                f"(values found per key id: {by_key or 'none'})"
            )
