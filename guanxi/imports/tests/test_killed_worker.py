"""A worker killed (SIGKILL) in the middle of writing an import leaves nothing behind: the
import is one SQLite transaction, and the stale job is then marked failed."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]

IMPORT_AND_DIE = textwrap.dedent(
    """
    import os, signal
    import django
    django.setup()
    from django.core.management import call_command
    call_command("migrate", verbosity=0)
    from django.core.files.uploadedfile import SimpleUploadedFile
    from guanxi.imports import importers
    from guanxi.imports.models import ImportJob
    from guanxi.imports.services import import_job_create, import_job_map, import_job_run
    from guanxi.workspaces.tests.factories import MembershipFactory

    admin = MembershipFactory(role="admin")
    rows = "\\n".join(f"客户{i},139{i:08d}" for i in range(1500))
    upload = SimpleUploadedFile("c.csv", ("姓名,手机\\n" + rows).encode())
    job = import_job_create(membership=admin, target="contacts", upload=upload)
    import_job_map(job=job, mapping=job.mapping, mode="create")
    ImportJob.objects.filter(pk=job.pk).update(status="importing")
    real_insert = importers.instances_insert
    batches = []

    def insert_then_die(model, records, **kwargs):
        real_insert(model, records, **kwargs)
        batches.append(len(records))
        if len(batches) == 2:  # 1,000 contacts written inside the open transaction
            print("killing", flush=True)
            os.kill(os.getpid(), signal.SIGKILL)

    importers.instances_insert = insert_then_die
    import_job_run(job=job)
    """
)

REAP = textwrap.dedent(
    """
    import datetime
    import django
    django.setup()
    from django.utils import timezone
    from guanxi.imports.models import ImportJob
    from guanxi.imports.services import import_jobs_fail_stale

    import_jobs_fail_stale(now=timezone.now() + datetime.timedelta(hours=1))
    print(ImportJob.objects.get().status)
    """
)


def run(code: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603  (our own script, run with this interpreter)
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_a_worker_killed_during_the_write_leaves_no_rows(tmp_path):
    # given a fresh SQLite database and an import whose worker is killed after 1,000 inserts
    database = tmp_path / "guanxi.sqlite3"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "guanxi.settings",
        "GUANXI_DATABASE_URL": f"sqlite:///{database}",
        "GUANXI_VAR_DIR": str(tmp_path),
    }
    killed = run(IMPORT_AND_DIE, env)
    # then the process died by SIGKILL mid-write
    assert killed.returncode == -signal.SIGKILL, killed.stderr[-2000:]
    assert "killing" in killed.stdout
    # and the database holds no contact and no audit row of the import
    with sqlite3.connect(database) as db:
        assert db.execute("SELECT COUNT(*) FROM contacts_contact").fetchone() == (0,)
        assert db.execute(
            "SELECT COUNT(*) FROM audit_auditevent WHERE source = 'import'"
        ).fetchone() == (0,)
    # and the periodic clean-up marks the abandoned job failed
    reaped = run(REAP, env)
    assert reaped.returncode == 0, reaped.stderr[-2000:]
    assert reaped.stdout.strip() == "failed"
