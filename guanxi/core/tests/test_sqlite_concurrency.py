"""SQLite (WAL, busy timeout, IMMEDIATE transactions) lets concurrent writers queue, never fail."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import textwrap
import time

from django.conf import settings

WRITERS = 4
CONTACTS_PER_WRITER = 50

# Run by each subprocess: `setup` makes a workspace and a user, `write N` creates contacts.
SCRIPT = textwrap.dedent(
    """
    import os, sys, time
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "guanxi.settings")
    django.setup()
    from guanxi.audit.choices import AuditSource
    from guanxi.audit.context import audit_context
    from guanxi.contacts.services import contact_create
    from guanxi.users.models import User
    from guanxi.workspaces.models import Workspace
    from guanxi.workspaces.services import workspace_create

    if sys.argv[1] == "setup":
        user = User.objects.create(username="writer", email="writer@example.com")
        workspace_create(name="Concurrency", slug="concurrency", admin=user)
        sys.exit(0)
    writer, start_at = int(sys.argv[2]), float(sys.argv[3])
    user = User.objects.get(username="writer")
    workspace = Workspace.objects.get(slug="concurrency")
    time.sleep(max(0.0, start_at - time.time()))  # every writer starts at the same moment
    with audit_context(source=AuditSource.SYSTEM, actor=user):
        for n in range(int(sys.argv[4])):
            contact_create(
                workspace=workspace,
                actor=user,
                name=f"并发 {writer}-{n}",
                mobile=f"13{writer}{n:08d}",
                email=f"w{writer}.{n}@example.com",
                tags=["Concurrent"],
            )
    """
)


def test_concurrent_writers_never_see_database_is_locked(tmp_path):
    # given: a migrated file database of its own, whatever database the suite uses
    database = tmp_path / "concurrency.sqlite3"
    env = {k: v for k, v in os.environ.items() if not k.startswith("GUANXI_")}
    env |= {
        "GUANXI_DATABASE_URL": f"sqlite:///{database}",
        "GUANXI_VAR_DIR": str(tmp_path),
        "GUANXI_HUEY_IMMEDIATE": "1",
    }
    script = tmp_path / "writer.py"
    script.write_text(SCRIPT, encoding="utf-8")

    def run(*args: str) -> None:
        subprocess.run(  # noqa: S603  (our interpreter, our arguments)
            [sys.executable, *args], cwd=settings.BASE_DIR, env=env, check=True, timeout=120
        )

    run("-m", "guanxi", "migrate", "-v0")
    run(str(script), "setup")

    # when: four processes write at once
    start_at = f"{time.time() + 3:.3f}"
    writers = [
        subprocess.Popen(  # noqa: S603
            [sys.executable, str(script), "write", str(n), start_at, str(CONTACTS_PER_WRITER)],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(WRITERS)
    ]
    results = [(*w.communicate(timeout=120), w.returncode) for w in writers]

    # then
    for stdout, stderr, code in results:
        assert "database is locked" not in stderr
        assert code == 0, stdout + stderr
    with sqlite3.connect(database) as connection:
        (contacts,) = connection.execute("SELECT COUNT(*) FROM contacts_contact").fetchone()
        (links,) = connection.execute("SELECT COUNT(*) FROM contacts_contact_tags").fetchone()
        (journal,) = connection.execute("PRAGMA journal_mode").fetchone()
    assert contacts == links == WRITERS * CONTACTS_PER_WRITER
    assert journal == "wal"
