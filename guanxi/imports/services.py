"""Every write of the import wizard: upload, mapping, validation, the import itself, templates."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guanxi.audit.choices import AuditSource
from guanxi.audit.context import audit_context
from guanxi.core.errors import ApplicationError
from guanxi.core.permissions import Action, role_can
from guanxi.imports.choices import ImportMode, ImportStatus
from guanxi.imports.importers import Outcome
from guanxi.imports.models import ImportJob, ImportSettings, ImportTemplate, default_row_limit
from guanxi.imports.parsing import MAX_UPLOAD_BYTES, ImportFileError, Table, read_table
from guanxi.imports.targets import auto_mapping, fields_for, target_for, template_mapping
from guanxi.imports.validated import (
    validated_rows_forget,
    validated_rows_load,
    validated_rows_save,
)
from guanxi.workspaces.models import Membership

# a job "importing" for longer than this had its worker die: it is marked failed
STALE_AFTER = datetime.timedelta(minutes=15)
MAX_ERRORS_KEPT = 10_000


def row_limit_for(workspace: Any) -> int:
    limit = ImportSettings.objects.filter(workspace=workspace).values_list("row_limit", flat=True)
    return next(iter(limit), None) or default_row_limit()


def require_import_rights(
    membership: Membership, target: str, mode: str = ImportMode.CREATE
) -> None:
    resource = target_for(target).resource
    needed = [Action.ADD] + ([Action.CHANGE] if mode == ImportMode.UPSERT else [])
    if not all(role_can(membership.role, resource, action) for action in needed):
        raise ApplicationError(
            _("Your role may not import these records."), code="permission_denied"
        )


def import_job_create(*, membership: Membership, target: str, upload: UploadedFile) -> ImportJob:
    """Read and check the file, keep it outside the web root, and propose a column mapping."""
    require_import_rights(membership, target)
    if upload.size > MAX_UPLOAD_BYTES:
        raise ImportFileError(
            _("The file is larger than %(size)s MB.") % {"size": MAX_UPLOAD_BYTES // 2**20}
        )
    data = upload.read(MAX_UPLOAD_BYTES + 1)
    name = (upload.name or "upload").rsplit("/", 1)[-1][:255]
    table = read_table(data, name, row_limit=row_limit_for(membership.workspace))
    job = ImportJob(
        workspace=membership.workspace,
        target=target,
        original_name=name,
        file_size=len(data),
        file_format=table.file_format,
        encoding=table.encoding,
        delimiter=table.delimiter,
        headers=table.headers,
        row_count=len(table.rows),
        mapping=auto_mapping(fields_for(target_for(target), membership.workspace), table.headers),
        created_by=membership.user,
    )
    job.stored_path = f"{membership.workspace_id}/{job.pk}"
    job.file_path.parent.mkdir(parents=True, exist_ok=True)
    job.file_path.write_bytes(data)
    try:
        job.full_clean()
        job.save()
    except Exception:
        job.file_path.unlink(missing_ok=True)
        raise
    return job


def job_table(job: ImportJob) -> Table:
    try:
        data = job.file_path.read_bytes()
    except FileNotFoundError as exc:
        raise ApplicationError(_("The uploaded file is no longer available."), code="gone") from exc
    return read_table(data, job.original_name, row_limit=row_limit_for(job.workspace))


@transaction.atomic
def import_job_map(
    *,
    job: ImportJob,
    mapping: dict[str, str],
    mode: str,
    match_on: str = "",
    all_or_nothing: bool = True,
) -> ImportJob:
    """Set the column mapping and options; each field may be mapped once."""
    target = target_for(job.target)
    fields = {f.key: f for f in fields_for(target, job.workspace)}
    clean = {
        str(index): key
        for index, key in mapping.items()
        if key and key in fields and str(index).isdigit() and int(index) < len(job.headers)
    }
    errors: dict[str, list[str]] = {}
    keys = list(clean.values())
    repeated = sorted({str(fields[k].label) for k in keys if keys.count(k) > 1})
    if repeated:
        errors["mapping"] = [
            _("Each field can take one column; mapped twice: %(fields)s.")
            % {"fields": ", ".join(repeated)}
        ]
    if mode == ImportMode.UPSERT:
        if target.natural_key(match_on) is None:
            errors["match_on"] = [_("Choose the field that identifies existing records.")]
        elif match_on not in keys:
            errors["match_on"] = [_("Map a column to the field you match records on.")]
    else:
        match_on = ""
        named = "name" in keys or (
            job.target == "contacts" and {"given_name", "family_name"} & set(keys)
        )
        missing = [
            str(f.label)
            for f in target.fields
            if f.required and f.key not in keys and not (f.key == "name" and named)
        ]
        if missing:
            errors["mapping"] = [
                *errors.get("mapping", []),
                _("Map a column to each required field: %(fields)s.")
                % {"fields": ", ".join(missing)},
            ]
    if errors:
        raise ValidationError(errors)
    job.mapping, job.mode, job.match_on, job.all_or_nothing = clean, mode, match_on, all_or_nothing
    job.status = ImportStatus.MAPPED
    job.errors = []
    job.save()
    validated_rows_forget(job)
    return job


def validate_job(
    job: ImportJob, membership: Membership, progress: Any = None
) -> tuple[Any, Outcome]:
    importer = target_for(job.target).importer()
    kwargs = {"progress": progress} if progress else {}
    return importer, importer.validate(
        table=job_table(job),
        mapping=job.mapping,
        membership=membership,
        mode=job.mode,
        match_on=job.match_on,
        **kwargs,
    )


def import_job_validate(*, job: ImportJob, membership: Membership) -> Outcome:
    """Check every row without writing; the job keeps the counts and the full error report,
    and the validated rows are kept for the import (validated.py)."""
    importer, outcome = validate_job(job, membership)
    validated_rows_save(job, importer.headers, outcome)
    store_outcome(job, outcome)
    job.status = ImportStatus.VALIDATED
    job.save()
    return outcome


def store_outcome(job: ImportJob, outcome: Outcome) -> None:
    job.row_count = len(outcome.rows)
    job.invalid_count = outcome.invalid_count
    job.valid_count = job.row_count - job.invalid_count
    job.errors = outcome.errors[:MAX_ERRORS_KEPT]


def import_job_start(*, job: ImportJob) -> ImportJob:
    """Queue the import; the job page follows its progress."""
    if job.status not in (ImportStatus.MAPPED, ImportStatus.VALIDATED, ImportStatus.FAILED):
        raise ApplicationError(_("This import has already run or is running."), code="conflict")
    from guanxi.imports.tasks import import_job_task

    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportStatus.IMPORTING, progress=0, failure="", updated_at=timezone.now()
    )
    transaction.on_commit(lambda: import_job_task(str(job.pk)))
    job.refresh_from_db()
    return job


def set_progress(job: ImportJob, percent: int) -> None:
    if percent != job.progress:
        job.progress = percent
        ImportJob.objects.filter(pk=job.pk).update(progress=percent, updated_at=timezone.now())


def import_job_run(*, job: ImportJob) -> ImportJob:
    """Validate every row, then write in one transaction: all rows, or with
    all_or_nothing off the valid ones. Anything raised leaves nothing written."""
    membership = (
        Membership.objects.select_related("workspace", "user")
        .filter(workspace=job.workspace, user=job.created_by, is_active=True)
        .first()
    )
    try:
        if membership is None:
            raise ApplicationError(_("The member who started this import left the workspace."))
        require_import_rights(membership, job.target, job.mode)
        importer, outcome = validated_rows(job, membership)
        store_outcome(job, outcome)
        if outcome.invalid_count and job.all_or_nothing:
            return finish(
                job,
                ImportStatus.FAILED,
                _("%(count)s rows are invalid: nothing was imported.")
                % {"count": outcome.invalid_count},
            )
        with audit_context(source=AuditSource.IMPORT, actor=membership.user):
            created, updated, skipped = importer.write(
                outcome, progress=lambda f: set_progress(job, 50 + int(f * 49))
            )
    except Exception as exc:  # the transaction rolled back; say why on the job page
        message = getattr(exc, "message", None) or _("The import failed: %(error)s") % {
            "error": type(exc).__name__
        }
        finish(job, ImportStatus.FAILED, str(message))
        if not isinstance(exc, ApplicationError):
            raise
        return job
    job.created_count, job.updated_count = created, updated
    job.skipped_count = skipped + outcome.invalid_count
    return finish(job, ImportStatus.DONE, "")


def validated_rows(job: ImportJob, membership: Membership) -> tuple[Any, Outcome]:
    """The preview's rows, checked again against the stored records, when they are still
    valid for this import; else every row validated now."""
    kept = validated_rows_load(job)
    if kept is None or kept.outcome.invalid_count:
        # invalid rows may have become valid since (a conflicting record was deleted)
        return validate_job(job, membership, progress=lambda f: set_progress(job, int(f * 50)))
    importer = target_for(job.target).importer()
    importer.recheck(kept.outcome, membership=membership, headers=kept.headers)
    set_progress(job, 50)
    return importer, kept.outcome


def finish(job: ImportJob, status: str, failure: str) -> ImportJob:
    validated_rows_forget(job)
    job.status, job.failure = status, failure
    job.progress = 100
    job.finished_at = timezone.now()
    job.save()
    return job


def import_jobs_fail_stale(*, now: datetime.datetime | None = None) -> int:
    """Jobs whose worker died mid-import (their transaction rolled back) are marked failed."""
    cutoff = (now or timezone.now()) - STALE_AFTER
    return ImportJob.objects.filter(
        status__in=(ImportStatus.IMPORTING, ImportStatus.VALIDATING), updated_at__lt=cutoff
    ).update(
        status=ImportStatus.FAILED,
        failure=_("The import stopped before it finished; nothing was written. Start it again."),
        finished_at=timezone.now(),
    )


@transaction.atomic
def import_template_save(*, job: ImportJob, name: str, actor: Any) -> ImportTemplate:
    """Save the job's mapping by column header, replacing a template of the same name."""
    name = name.strip()[:100]
    if not name:
        raise ValidationError({"name": _("Give the template a name.")})
    by_header = {job.headers[int(i)]: key for i, key in job.mapping.items()}
    template, _created = ImportTemplate.objects.update_or_create(
        workspace=job.workspace,
        target=job.target,
        name=name,
        defaults={"mapping": by_header, "created_by": actor},
    )
    return template


def import_template_apply(*, job: ImportJob, template: ImportTemplate) -> ImportJob:
    job.mapping = template_mapping(template.mapping, job.headers)
    job.save(update_fields=["mapping", "updated_at"])
    return job


def import_job_delete(*, job: ImportJob) -> None:
    validated_rows_forget(job)
    job.file_path.unlink(missing_ok=True)
    job.delete()
