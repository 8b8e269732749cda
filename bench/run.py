"""`make bench`: seed 100,000 contacts, serve with gunicorn, measure latency and throughput.

Runs on SQLite (var/bench/) and, when reachable, PostgreSQL (database guanxi_bench on
127.0.0.1:5432, user postgres; dropped and recreated). Prints a table and writes
docs/performance.md. Never part of `make test`.
"""

from __future__ import annotations

import argparse
import datetime
import http.client
import json
import os
import platform
import random
import signal
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "var" / "bench"
DOC = ROOT / "docs" / "performance.md"
NOTES = ROOT / "bench" / "notes.md"  # the hand-written analysis, appended to the report
PYTHON = sys.executable
GUNICORN = str(Path(PYTHON).with_name("gunicorn"))

COMPANIES = int(os.environ.get("BENCH_COMPANIES", 10_000))
CONTACTS = int(os.environ.get("BENCH_CONTACTS", 100_000))
REQUESTS = int(os.environ.get("BENCH_REQUESTS", 220))
WARMUP = 10
THROUGHPUT_CLIENTS = 20
THROUGHPUT_REQUESTS = int(os.environ.get("BENCH_THROUGHPUT_REQUESTS", 2000))
TARGET_P95_MS = 50.0
# a case slower than the target by far stops early, so that the whole run stays short
CASE_BUDGET_SECONDS = int(os.environ.get("BENCH_CASE_SECONDS", 30))
PORT = int(os.environ.get("BENCH_PORT", 8311))
USER = "admin"  # sees every record: the widest list
WORKSPACE = "bench"
PG_ADMIN = "postgres://postgres@127.0.0.1:5432/postgres"
PG_BENCH = "postgres://postgres@127.0.0.1:5432/guanxi_bench"
API = "/api/v1/contacts/"


@dataclass
class Result:
    backend: str
    seed_seconds: float = 0.0
    rows: int = 0
    cases: dict[str, tuple[int, float, float]] = field(default_factory=dict)  # n, p50, p95
    errors: dict[str, str] = field(default_factory=dict)
    throughput: float = 0.0
    plans: dict[str, str] = field(default_factory=dict)


# --- databases --------------------------------------------------------------------------------
def sqlite_env(*, fresh: bool) -> dict[str, str]:
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    database = BENCH_DIR / "guanxi.sqlite3"
    for suffix in ("", "-wal", "-shm") if fresh else ():
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    return bench_env(f"sqlite:///{database}")


def postgres_env() -> dict[str, str] | None:
    try:
        import psycopg
    except ImportError:
        return None
    try:
        with psycopg.connect(PG_ADMIN, autocommit=True, connect_timeout=3) as connection:
            connection.execute("DROP DATABASE IF EXISTS guanxi_bench WITH (FORCE)")
            connection.execute("CREATE DATABASE guanxi_bench")
    except psycopg.OperationalError as exc:
        print(f"PostgreSQL not reachable ({exc}); skipped.")
        return None
    return bench_env(PG_BENCH)


def bench_env(database_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GUANXI_")}
    return env | {
        "GUANXI_DATABASE_URL": database_url,
        "GUANXI_VAR_DIR": str(BENCH_DIR),
        "GUANXI_DEBUG": "0",
        "GUANXI_LOG_LEVEL": "ERROR",
    }


def manage(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [PYTHON, "-m", "guanxi", *args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return done.stdout


def prepare(env: dict[str, str], *args: str) -> dict:
    done = subprocess.run(
        [PYTHON, str(ROOT / "bench" / "prepare.py"), *args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(done.stdout)


# --- HTTP ---------------------------------------------------------------------------------------
class Client:
    """One keep-alive connection (gunicorn's sync workers close it; http.client reopens)."""

    def __init__(self, headers: dict[str, str]):
        self.connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
        self.headers = headers

    def request(self, method: str, path: str, body: dict | None = None) -> tuple[int, float]:
        headers = dict(self.headers)
        payload = None
        if body is not None:
            payload = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        started = time.perf_counter()
        try:
            self.connection.request(method, path, body=payload, headers=headers)
            response = self.connection.getresponse()
            response.read()
        except (ConnectionError, http.client.HTTPException):
            self.connection.close()
            raise
        if response.getheader("Connection", "").lower() == "close":
            self.connection.close()
        return response.status, (time.perf_counter() - started) * 1000


def wait_until_up(deadline_seconds: float = 60) -> None:
    deadline = time.monotonic() + deadline_seconds
    while time.monotonic() < deadline:
        try:
            status, _ms = Client({}).request("GET", "/healthz")
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.5)
    raise RuntimeError("gunicorn did not answer /healthz in time")


def measure(client: Client, method: str, path_for, body_for=None, expect=200) -> tuple:
    timings: list[float] = []
    deadline = time.monotonic() + CASE_BUDGET_SECONDS
    for n in range(WARMUP + REQUESTS):
        if len(timings) >= 20 and time.monotonic() > deadline:
            break
        status, ms = client.request(method, path_for(n), body_for(n) if body_for else None)
        if status != expect:
            raise RuntimeError(f"{method} {path_for(n)} answered {status}, expected {expect}")
        if n >= WARMUP:
            timings.append(ms)
    cuts = statistics.quantiles(timings, n=100)
    return len(timings), statistics.median(timings), cuts[94]


def throughput(headers: dict[str, str]) -> float:
    per_client = THROUGHPUT_REQUESTS // THROUGHPUT_CLIENTS
    failures: list[str] = []
    done: list[int] = []
    deadline = time.monotonic() + CASE_BUDGET_SECONDS

    def work() -> None:
        client = Client(headers)
        for _ in range(per_client):
            if time.monotonic() > deadline:
                break
            status, _ms = client.request("GET", API)
            done.append(1)
            if status != 200:
                failures.append(str(status))

    threads = [threading.Thread(target=work) for _ in range(THROUGHPUT_CLIENTS)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - started
    if failures:
        raise RuntimeError(f"{len(failures)} throughput requests failed: {failures[:5]}")
    return len(done) / seconds


# --- one backend --------------------------------------------------------------------------------
def run_backend(backend: str, env: dict[str, str], *, reuse: bool = False) -> Result:
    result = Result(backend)
    if reuse:
        print(f"\n== {backend}: reusing the seeded database")
    else:
        seed(result, env)
    if backend == "PostgreSQL":
        manage(
            env,
            "shell",
            "-c",
            "from django.db import connection; connection.cursor().execute('ANALYZE')",
        )
    measure_server(result, env)
    return result


def seed(result: Result, env: dict[str, str]) -> None:
    print(f"\n== {result.backend}: migrate, seed {COMPANIES:,} companies and {CONTACTS:,} contacts")
    manage(env, "migrate", "-v0")
    started = time.perf_counter()
    manage(
        env,
        "demo",
        "--workspace",
        WORKSPACE,
        "--companies",
        str(COMPANIES),
        "--contacts",
        str(CONTACTS),
        "--seed",
        "1",
    )
    result.seed_seconds = time.perf_counter() - started
    result.rows = COMPANIES + CONTACTS
    print(
        f"   seeded in {result.seed_seconds:.1f} s: {result.rows / result.seed_seconds:,.0f} rows/s"
    )


def measure_server(result: Result, env: dict[str, str]) -> None:
    facts = prepare(env, USER, WORKSPACE)
    api = {"Authorization": f"Token {facts['token']}", "Accept": "application/json"}
    queries = {
        "API list, first page": "",
        "API filtered list": "?lifecycle_stage=customer&industry=technology",
        "API search by name": "?q=" + urllib.parse.quote(facts["partial_name"]),
        "API lookup by mobile": "?q=" + facts["mobile"],
    }
    result.plans = prepare(env, "--explain", USER, WORKSPACE, json.dumps(queries))
    server = subprocess.Popen(
        [
            GUNICORN,
            "guanxi.wsgi",
            "--workers",
            "4",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        wait_until_up()
        client = Client(api)
        for name, query in queries.items():
            run_case(
                result,
                name,
                lambda client=client, query=query: measure(client, "GET", lambda n: API + query),
            )
        # unused mobiles: the 199 prefix is rare in the demo data, and a rerun picks new ones
        mobiles = random.Random().sample(range(10**8), WARMUP + REQUESTS)
        run_case(
            result,
            "API create",
            lambda: measure(
                client,
                "POST",
                lambda n: API,
                lambda n: {"name": f"压测 {n}", "mobile": f"199{mobiles[n]:08d}"},
                expect=201,
            ),
        )
        ui = Client({"Cookie": facts["session_cookie"]})
        run_case(
            result, "UI list page /contacts/", lambda: measure(ui, "GET", lambda n: "/contacts/")
        )
        result.throughput = throughput(api)
        print(f"   throughput, {THROUGHPUT_CLIENTS} clients: {result.throughput:,.0f} req/s")
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)


def run_case(result: Result, name: str, measure_case) -> None:
    try:
        result.cases[name] = measure_case()
        n, p50, p95 = result.cases[name]
        print(f"   {name:<28} n={n}  p50 {p50:6.1f} ms  p95 {p95:6.1f} ms")
    except (RuntimeError, OSError) as exc:
        result.errors[name] = str(exc)
        print(f"   {name:<28} FAILED: {exc}")


# --- report -------------------------------------------------------------------------------------
def machine_facts() -> list[str]:
    cpu = "unknown CPU"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        cpu = next(
            (
                line.split(":", 1)[1].strip()
                for line in cpuinfo.read_text().splitlines()
                if line.startswith("model name")
            ),
            cpu,
        )
    memory = ""
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        kib = int(meminfo.read_text().split()[1])
        memory = f", {kib / 1024 / 1024:.1f} GiB RAM"
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    dirty = subprocess.run(
        ["git", "status", "--porcelain"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    return [
        f"- Date: {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC",
        f"- Commit: {commit}{' with uncommitted changes' if dirty else ''}",
        f"- Machine: {os.cpu_count()} cores ({cpu}){memory}, {platform.system()} {platform.release()}",
        f"- Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}",
        "- Server: gunicorn, 4 sync workers, DEBUG off, on the same machine as the client",
    ]


def report(results: list[Result]) -> str:
    lines = [
        "# Performance",
        "",
        "Measured by `make bench` (bench/run.py): a fresh database seeded by "
        f"`python -m guanxi demo` with {COMPANIES:,} companies and {CONTACTS:,} contacts, "
        "served by gunicorn; one client sends the requests one after another "
        f"({REQUESTS} measured after {WARMUP} warm-up requests, API token of an administrator, "
        "who sees every record); then "
        f"{THROUGHPUT_CLIENTS} concurrent clients send {THROUGHPUT_REQUESTS:,} list requests. "
        f"Target: p95 below {TARGET_P95_MS:.0f} ms on SQLite.",
        "",
        *machine_facts(),
        "",
    ]
    for result in results:
        seeding = (
            f"Seeding: {result.rows:,} rows in {result.seed_seconds:.1f} s "
            f"({result.rows / result.seed_seconds:,.0f} rows/s, with audit rows, tags and "
            "encryption of mobile and email)."
            if result.seed_seconds
            else "Seeding: not measured in this run (`--reuse`)."
        )
        lines += [
            f"## {result.backend}",
            "",
            seeding,
            "",
            "| request | n | p50 ms | p95 ms | p95 < 50 ms |",
            "| --- | --: | --: | --: | :-: |",
        ]
        for name, (n, p50, p95) in result.cases.items():
            verdict = "yes" if p95 < TARGET_P95_MS else "**no**"
            lines.append(f"| {name} | {n} | {p50:.1f} | {p95:.1f} | {verdict} |")
        for name, error in result.errors.items():
            lines.append(f"| {name} | — | — | — | failed: {error} |")
        lines += [
            "",
            f"Throughput of `GET {API}` with {THROUGHPUT_CLIENTS} concurrent clients: "
            f"**{result.throughput:,.0f} requests/s**.",
            "",
            "Query plans of the list queries (first page, as the API builds them):",
            "",
        ]
        for name, plan in result.plans.items():
            lines += [
                f"- {name}:",
                "",
                "  ```",
                *(f"  {row}" for row in plan.splitlines()),
                "  ```",
            ]
        lines.append("")
    if NOTES.exists():
        lines.append(NOTES.read_text(encoding="utf-8"))
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--reuse", action="store_true", help="measure the seeded SQLite database of the last run"
    )
    parser.add_argument("--no-postgres", action="store_true")
    options = parser.parse_args()
    if not Path(GUNICORN).exists():
        sys.exit(f"gunicorn not found next to {PYTHON}")
    started = time.perf_counter()
    backends = [("SQLite", sqlite_env(fresh=not options.reuse))]
    if not (options.reuse or options.no_postgres) and (pg := postgres_env()) is not None:
        backends.append(("PostgreSQL", pg))
    results = [run_backend(name, env, reuse=options.reuse) for name, env in backends]
    text = report(results)
    print("\n" + text)
    DOC.write_text(text, encoding="utf-8")
    print(f"Wrote {DOC} in {time.perf_counter() - started:.0f} s.")


if __name__ == "__main__":
    main()
