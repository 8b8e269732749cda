"""The preview's validated rows, kept beside the uploaded file so that the import does not
validate every row a second time.

Only a create-mode import of records written in bulk (companies, contacts) reuses them, and
only when nothing that shaped the validation has changed: the mapping, the options and the
custom field definitions make a fingerprint. What the stored records decide (values taken by
another record, a company of the same name created meanwhile, an owner who left the workspace)
is checked again at import time by the importer's `recheck`; rows keep tags as names, looked up
only when the import writes. The file is signed with the secret key because it is unpickled.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import json
import pickle
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.module_loading import import_string

from guanxi.imports.choices import ImportMode
from guanxi.imports.importers import Outcome
from guanxi.imports.models import ImportJob
from guanxi.imports.targets import custom_definitions, target_for

# a preview older than this is validated again: the more time passes, the more has changed
REUSE_WITHIN = datetime.timedelta(hours=1)
SALT = "guanxi.imports.validated"
DIGEST_BYTES = 32
# what the kept rows hold: raised when RowResult or Outcome change, so that rows kept by an
# older version of the code are validated again rather than unpickled short of a field
KEPT_FORMAT = 2


@dataclass
class ValidatedRows:
    fingerprint: str
    validated_at: datetime.datetime
    headers: dict[str, str]
    outcome: Outcome


def reusable(job: ImportJob) -> bool:
    importer_class = import_string(target_for(job.target).importer_path)
    return job.mode == ImportMode.CREATE and importer_class.validation_reusable


def fingerprint(job: ImportJob) -> str:
    """What the validation depended on besides the stored records."""
    definitions = [
        (str(d.pk), d.updated_at.isoformat())
        for d in custom_definitions(target_for(job.target), job.workspace)
    ]
    state = [
        KEPT_FORMAT,
        job.target,
        job.stored_path,
        job.file_size,
        sorted(job.mapping.items()),
        job.mode,
        job.match_on,
        definitions,
    ]
    return hashlib.sha256(json.dumps(state, default=str).encode()).hexdigest()


def path_of(job: ImportJob) -> Any:
    return job.file_path.with_name(f"{job.file_path.name}.validated")


def validated_rows_save(job: ImportJob, headers: dict[str, str], outcome: Outcome) -> None:
    if not reusable(job):
        return
    kept = ValidatedRows(fingerprint(job), timezone.now(), headers, outcome)
    data = pickle.dumps(kept, protocol=pickle.HIGHEST_PROTOCOL)
    path_of(job).write_bytes(salted_hmac(SALT, data, algorithm="sha256").digest() + data)


def validated_rows_load(job: ImportJob) -> ValidatedRows | None:
    """The preview's rows when they may stand for this import, else None."""
    if not reusable(job):
        return None
    try:
        signed = path_of(job).read_bytes()
    except FileNotFoundError:
        return None
    digest, data = signed[:DIGEST_BYTES], signed[DIGEST_BYTES:]
    if not hmac.compare_digest(digest, salted_hmac(SALT, data, algorithm="sha256").digest()):
        return None
    try:
        kept = pickle.loads(data)  # noqa: S301 - written by validated_rows_save, signature checked
    except Exception:  # a file from an older version of the code: validate again
        return None
    if (
        not isinstance(kept, ValidatedRows)
        or kept.fingerprint != fingerprint(job)
        or timezone.now() - kept.validated_at > REUSE_WITHIN
    ):
        return None
    return kept


def validated_rows_forget(job: ImportJob) -> None:
    path_of(job).unlink(missing_ok=True)
