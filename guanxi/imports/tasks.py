"""Background jobs of imports and exports: thin, taking ids."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from guanxi.imports.models import ExportJob, ImportJob

QUALITY_BATCH = 500


@db_task()
def import_job_task(job_id: str) -> None:
    from guanxi.imports.services import import_job_run

    job = ImportJob.objects.select_related("workspace", "created_by").filter(pk=job_id).first()
    if job is not None:
        import_job_run(job=job)


@db_task()
def export_job_task(job_id: str) -> None:
    from guanxi.imports.exports import export_job_run

    job = ExportJob.objects.select_related("workspace", "created_by").filter(pk=job_id).first()
    if job is not None:
        export_job_run(job=job)


@db_task()
def import_quality_refresh_task(model_label: str, ids: list[str]) -> None:
    """Completeness and duplicate match keys of imported records (idempotent: recomputed)."""
    from django.apps import apps

    from guanxi.quality.refresh import records_quality_refresh

    model = apps.get_model(model_label)
    for start in range(0, len(ids), QUALITY_BATCH):
        records_quality_refresh(model.objects.filter(pk__in=ids[start : start + QUALITY_BATCH]))


@db_periodic_task(crontab(minute="*/5"))
def import_jobs_fail_stale_task() -> None:
    # idempotent: only jobs still marked running past the cut-off change
    from guanxi.imports.services import import_jobs_fail_stale

    import_jobs_fail_stale()
