"""`python -m guanxi serve`: the web server and the job consumer together, stopped together."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

HOST = "127.0.0.1"
POLL_SECONDS = 0.5
STOP_GRACE_SECONDS = 10


class Command(BaseCommand):
    help = "Run the web server on 127.0.0.1 and the Huey job consumer; Ctrl-C stops both."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=8000)

    def handle(self, *args: Any, **options: Any) -> None:
        port = options["port"]
        manage = [sys.executable, "-m", "guanxi"]
        # --insecure serves static files with DEBUG off; --noreload keeps one process to stop
        commands = {
            "web": [*manage, "runserver", "--noreload", "--insecure", f"{HOST}:{port}"],
            "jobs": [*manage, "run_huey"],
        }
        children = {
            name: subprocess.Popen(command)  # noqa: S603  (our own interpreter, fixed arguments)
            for name, command in commands.items()
        }
        self.stdout.write(self.style.SUCCESS(f"Guanxi CRM: http://{HOST}:{port}/  (Ctrl-C stops)"))
        stopping: list[int] = []

        def request_stop(signum: int, frame: Any) -> None:
            stopping.append(signum)

        previous = {
            signum: signal.signal(signum, request_stop)
            for signum in (signal.SIGINT, signal.SIGTERM)
        }
        try:
            exited = wait_for_first_exit(children, stopping)
        finally:
            stop_all(children)
            for signum, handler in previous.items():
                signal.signal(signum, handler)
        if exited is not None and not stopping:
            name, code = exited
            self.stderr.write(f"The {name} process exited with code {code}; stopped the others.")
            sys.exit(code if code and code > 0 else 1)


def wait_for_first_exit(
    children: dict[str, subprocess.Popen], stopping: list[int]
) -> tuple[str, int] | None:
    """The first child that exited on its own, or None when we were asked to stop."""
    while not stopping:
        for name, child in children.items():
            if child.poll() is not None:
                return name, child.returncode
        time.sleep(POLL_SECONDS)
    return None


def stop_all(children: dict[str, subprocess.Popen]) -> None:
    for child in children.values():
        if child.poll() is None:
            child.terminate()
    deadline = time.monotonic() + STOP_GRACE_SECONDS
    for child in children.values():
        try:
            child.wait(timeout=max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
