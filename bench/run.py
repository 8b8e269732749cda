"""`make bench`: seed contacts (and members with transactions), leads and opportunities, serve
with gunicorn, measure latency and throughput, time the bulk jobs (import, duplicate scan, lead
assignment).

`--scale issue3` (the default of `make bench`) seeds 1,000,000 contacts and 3,000,000
transactions as issue 3 §7 asks, and 200,000 leads and 500,000 opportunities over 3 pipelines
as issue 4 §7 asks; `--scale small` a tenth for a quick run. Runs on
SQLite (var/bench/) and, when reachable, PostgreSQL (database guanxi_bench on 127.0.0.1:5432,
user postgres; dropped and recreated). Prints a table and writes docs/performance.md. Never
part of `make test`.
"""

from __future__ import annotations

import argparse
import datetime
import http.client
import json
import os
import platform
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
# a second run beside a long one needs its own directory and database
BENCH_DIR = Path(os.environ.get("BENCH_DIR", ROOT / "var" / "bench"))
PG_DATABASE = os.environ.get("BENCH_PG_DATABASE", "guanxi_bench")
DOC = Path(os.environ.get("BENCH_DOC", ROOT / "docs" / "performance.md"))
NOTES = ROOT / "bench" / "notes.md"  # the hand-written analysis, appended to the report
PYTHON = sys.executable
GUNICORN = str(Path(PYTHON).with_name("gunicorn"))

# rows per scale: companies, contacts, members, transactions, leads, opportunities
# (BENCH_* variables override)
SCALES = {
    "tiny": (2_000, 20_000, 6_000, 60_000, 20_000, 50_000),
    "small": (10_000, 100_000, 30_000, 300_000, 20_000, 50_000),
    "issue3": (100_000, 1_000_000, 300_000, 3_000_000, 200_000, 500_000),
}
SCALE_KEYS = ("COMPANIES", "CONTACTS", "MEMBERS", "TRANSACTIONS", "LEADS", "OPPORTUNITIES")
COMPANIES = CONTACTS = MEMBERS = TRANSACTIONS = LEADS = OPPORTUNITIES = 0  # set by use_scale()
REQUESTS = int(os.environ.get("BENCH_REQUESTS", 220))
WARMUP = 10
THROUGHPUT_CLIENTS = 20
THROUGHPUT_REQUESTS = int(os.environ.get("BENCH_THROUGHPUT_REQUESTS", 2000))
TARGET_P95_MS = 100.0  # issue 3 §7
SALES_TARGET_P95_MS = 300.0  # issue 4 §7: the kanban board and the reports
# BENCH_JOBS="import" skips the duplicate scan (which seeds 100,000 more contacts at scale);
# BENCH_JOBS="" skips both
KNOWN_JOBS = ("import", "duplicate-scan", "assignment")
JOBS = [
    job
    for job in os.environ.get("BENCH_JOBS", ",".join(KNOWN_JOBS)).split(",")
    if job in KNOWN_JOBS
]
IMPORT_TARGET_SECONDS = 5.0
SCAN_TARGET_SECONDS = 60.0
ASSIGNMENT_TARGET_RATE = 500  # leads/s
# a case slower than the target by far stops early, so that the whole run stays short
CASE_BUDGET_SECONDS = int(os.environ.get("BENCH_CASE_SECONDS", 30))
PORT = int(os.environ.get("BENCH_PORT", 8311))
USER = "admin"  # sees every record: the widest list
WORKSPACE = "bench"
PG_ADMIN = "postgres://postgres@127.0.0.1:5432/postgres"
PG_BENCH = f"postgres://postgres@127.0.0.1:5432/{PG_DATABASE}"
API = "/api/v1/contacts/"


@dataclass
class Result:
    backend: str
    seed_seconds: float = 0.0
    seeding: dict = field(default_factory=dict)  # bench/seed.py's rows and seconds per table
    cases: dict[str, tuple[int, float, float]] = field(default_factory=dict)  # n, p50, p95
    errors: dict[str, str] = field(default_factory=dict)
    jobs: dict[str, dict] = field(default_factory=dict)  # bench/jobs.py: seconds or a TODO
    throughput: float = 0.0
    plans: dict[str, str] = field(default_factory=dict)
    scale: str = ""
    rows: tuple[int, ...] = ()  # as in SCALES
    sales_cases: set[str] = field(default_factory=set)  # measured against SALES_TARGET_P95_MS

    def target(self, case: str) -> float:
        return SALES_TARGET_P95_MS if case in self.sales_cases else TARGET_P95_MS


def use_scale(name: str) -> None:
    global COMPANIES, CONTACTS, MEMBERS, TRANSACTIONS, LEADS, OPPORTUNITIES
    COMPANIES, CONTACTS, MEMBERS, TRANSACTIONS, LEADS, OPPORTUNITIES = (
        int(os.environ.get(f"BENCH_{key}", default))
        for key, default in zip(SCALE_KEYS, SCALES[name], strict=True)
    )


# --- databases --------------------------------------------------------------------------------
def sqlite_env(*, fresh: bool) -> dict[str, str]:
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    database = BENCH_DIR / "guanxi.sqlite3"
    for suffix in ("", "-wal", "-shm") if fresh else ():
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    return bench_env(f"sqlite:///{database}")


def postgres_env(*, fresh: bool = True) -> dict[str, str] | None:
    try:
        import psycopg
    except ImportError:
        return None
    if not fresh:
        return bench_env(PG_BENCH)
    try:
        with psycopg.connect(PG_ADMIN, autocommit=True, connect_timeout=3) as connection:
            connection.execute(f"DROP DATABASE IF EXISTS {PG_DATABASE} WITH (FORCE)")
            connection.execute(f"CREATE DATABASE {PG_DATABASE}")
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


def prepare(env: dict[str, str], *args: str, script: str = "prepare.py") -> dict:
    """Runs a Django-side bench script and reads the JSON it prints last."""
    done = subprocess.run(
        [PYTHON, str(ROOT / "bench" / script), *args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


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
def run_backend(
    backend: str, env: dict[str, str], *, reuse: bool = False, seed_only: bool = False
) -> Result:
    result = Result(
        backend, rows=(COMPANIES, CONTACTS, MEMBERS, TRANSACTIONS, LEADS, OPPORTUNITIES)
    )
    if reuse:
        print(f"\n== {backend}: reusing the seeded database")
        manage(env, "migrate", "-v0")
        seeding_load(result)
    else:
        seed(result, env)
    if seed_only:
        return result
    if backend == "PostgreSQL":
        # as autovacuum leaves a table some time after a bulk load: statistics, and a
        # visibility map so that counts can be answered from the indexes alone
        manage(
            env,
            "shell",
            "-c",
            "from django.db import connection; connection.cursor().execute('VACUUM ANALYZE')",
        )
    measure_server(result, env)
    time_jobs(result, env)
    return result


def seed(result: Result, env: dict[str, str]) -> None:
    print(
        f"\n== {result.backend}: migrate, seed {COMPANIES:,} companies, {CONTACTS:,} contacts, "
        f"{MEMBERS:,} members, {TRANSACTIONS:,} transactions, {LEADS:,} leads, "
        f"{OPPORTUNITIES:,} opportunities"
    )
    manage(env, "migrate", "-v0")
    started = time.perf_counter()
    result.seeding = prepare(
        env,
        *("--workspace", WORKSPACE, "--companies", str(COMPANIES), "--contacts", str(CONTACTS)),
        *("--members", str(MEMBERS), "--transactions", str(TRANSACTIONS), "--seed", "1"),
        script="seed.py",
    )
    sales = prepare(
        env,
        *("--workspace", WORKSPACE, "--leads", str(LEADS)),
        *("--opportunities", str(OPPORTUNITIES), "--seed", "1"),
        script="seed_sales.py",
    )
    for key in ("seconds", "rows"):
        result.seeding[key] |= sales[key]
    result.seeding["notes"] += sales["notes"]
    result.seed_seconds = time.perf_counter() - started
    rows = sum(result.seeding["rows"].values())
    print(f"   seeded in {result.seed_seconds:.1f} s: {rows / result.seed_seconds:,.0f} rows/s")
    for table, seconds in result.seeding["seconds"].items():
        count = result.seeding["rows"].get(table, 0)
        print(f"   {table:<28} {count:>10,} rows {seconds:8.1f} s")
    for note in result.seeding["notes"]:
        print(f"   note: {note}")
    seeding_file(result.backend).write_text(
        json.dumps(
            {"seconds": result.seed_seconds, "seeding": result.seeding, "rows": result.rows}
        ),
        encoding="utf-8",
    )


def seeding_file(backend: str) -> Path:
    """Where a seeding run leaves its figures, so that `--reuse` can report them."""
    return BENCH_DIR / f"seeding-{backend.lower()}.json"


def seeding_load(result: Result) -> None:
    path = seeding_file(result.backend)
    if path.exists():
        saved = json.loads(path.read_text(encoding="utf-8"))
        result.seed_seconds = saved["seconds"]
        result.seeding = saved["seeding"]
        result.rows = tuple(saved["rows"])


def measure_server(result: Result, env: dict[str, str]) -> None:
    facts = prepare(env, USER, WORKSPACE, str(WARMUP + REQUESTS))
    api = {"Authorization": f"Token {facts['token']}", "Accept": "application/json"}
    quote = urllib.parse.quote
    queries = {
        "API list, first page": "",
        "API filtered list": "?lifecycle_stage=customer&industry=technology",
        "API search, Chinese 2 characters": "?q=" + quote(facts["partial_name"]),
        "API search, Chinese surname (1 character)": "?q=" + quote(facts["surname"]),
        "API search, Latin partial": "?q=" + quote(facts["latin_partial"]),
        "API search, company name": "?q=" + quote(facts["company_query"]),
        "API lookup by mobile": "?q=" + quote(facts["mobile"]),
    }
    result.plans = prepare(env, "--explain", USER, WORKSPACE, json.dumps(queries))
    print(
        f"   queries: {facts['partial_name']!r}, {facts['surname']!r}, {facts['latin_partial']!r}, "
        f"{facts['company_query']!r}; {facts['members']:,} members"
    )
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
        mobiles = facts["new_mobiles"]
        run_case(
            result,
            "API create",
            lambda: measure(
                client,
                "POST",
                lambda n: API,
                lambda n: {"name": f"压测 {n}", "mobile": mobiles[n]},
                expect=201,
            ),
        )
        ui = Client({"Cookie": facts["session_cookie"]})
        ui_pages = {
            "UI list page /contacts/": "/contacts/",
            "UI search, Chinese 2 characters": "/contacts/?search=" + quote(facts["partial_name"]),
            # thousands of matches: the page shows its rows, then loads their count (capped)
            "UI search, Chinese surname (1 character)": "/contacts/?search="
            + quote(facts["surname"]),
            "UI search, its count line (surname)": "/contacts/?count=1&search="
            + quote(facts["surname"]),
            "UI contact 360° page": f"/contacts/{facts['contact_360']}/",
        }
        if facts["members"]:
            ui_pages["UI 360° page of a member"] = f"/contacts/{facts['member_contact_360']}/"
            ui_pages["UI member list by level"] = "/members/?level=vip"
            run_case(
                result,
                "API member list by level",
                lambda: measure(client, "GET", lambda n: "/api/v1/members/?level=vip"),
            )
        else:
            result.errors["member list by level"] = "TODO: no members seeded (members app)"
        for name, path in ui_pages.items():
            run_case(result, name, lambda path=path: measure(ui, "GET", lambda n: path))
        if facts["opportunities"]:
            measure_sales(result, facts, api=client, ui=ui)
        else:
            result.errors["sales"] = "no opportunities seeded (bench/seed_sales.py)"
        result.throughput = throughput(api)
        print(f"   throughput, {THROUGHPUT_CLIENTS} clients: {result.throughput:,.0f} req/s")
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)


def measure_sales(result: Result, facts: dict, *, api: Client, ui: Client) -> None:
    """Issue 4 §7: the kanban board and the sales reports (default period: this year)."""
    second = facts["pipelines"][1 % len(facts["pipelines"])]
    owner = facts["busiest_owner"]
    two_years = "start=2025-01-01&end=2026-12-31"
    cases = {
        "UI kanban board, default pipeline (frame and column totals)": (
            ui,
            "/opportunities/board/",
        ),
        "UI kanban board, filtered by owner": (ui, f"/opportunities/board/?owner={owner}"),
        "UI kanban board, second pipeline": (ui, f"/opportunities/board/{second}/"),
        "UI kanban column, first 50 cards of the fullest stage": (
            ui,
            f"/opportunities/board/column/{facts['fullest_stage']}/",
        ),
        "API funnel, this year": (api, "/api/v1/analytics/funnel/"),
        "API funnel, two years": (api, f"/api/v1/analytics/funnel/?{two_years}"),
        "API funnel, one owner": (api, f"/api/v1/analytics/funnel/?owner={owner}"),
        "API pipeline value by owner": (api, "/api/v1/analytics/pipeline-value/"),
        "API forecast by month": (api, "/api/v1/analytics/forecast/"),
        "API forecast by month and team": (api, "/api/v1/analytics/forecast/?group_by=team"),
        "API rep efficiency": (api, "/api/v1/analytics/efficiency/"),
        # the page comes with placeholders; each report panel loads in its own request
        "UI sales dashboard page": (ui, "/analytics/"),
        **{
            f"UI dashboard panel: {name}": (ui, f"/analytics/panels/{name}/")
            for name in ("value", "funnel", "efficiency", "forecast")
        },
        "UI dashboard panel: funnel, second pipeline": (
            ui,
            f"/analytics/panels/funnel/?pipeline={second}",
        ),
    }
    for name, (client, path) in cases.items():
        result.sales_cases.add(name)
        run_case(
            result, name, lambda client=client, path=path: measure(client, "GET", lambda n: path)
        )
    for name, path in {
        "API opportunity list": "/api/v1/opportunities/",
        "API lead list": "/api/v1/leads/",
        "UI opportunity list": "/opportunities/",
    }.items():
        client = ui if name.startswith("UI") else api
        run_case(
            result, name, lambda client=client, path=path: measure(client, "GET", lambda n: path)
        )


def time_jobs(result: Result, env: dict[str, str]) -> None:
    """Import of a 5,000-row contact CSV and a duplicate scan of 100,000 contacts, in-process
    through the services the web UI uses (bench/jobs.py); after the HTTP cases because both
    write to the database."""
    for job in JOBS:
        try:
            result.jobs[job] = prepare(env, job, USER, WORKSPACE, script="jobs.py")
        except subprocess.CalledProcessError as exc:
            tail = (exc.stderr or "").strip().splitlines()[-1:] or ["no output"]
            result.jobs[job] = {"todo": f"failed: {tail[0][:200]}"}
        outcome = result.jobs[job]
        summary = f"{outcome['seconds']:.1f} s" if "seconds" in outcome else outcome["todo"]
        print(f"   {job:<28} {summary}")


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
        *postgres_facts(),
    ]


def postgres_facts() -> list[str]:
    """The server's version and the memory it caches tables in (its default of 128 MB holds
    a fraction of a 1,000,000-contact workspace)."""
    try:
        import psycopg
    except ImportError:
        return []
    try:
        with psycopg.connect(PG_ADMIN, connect_timeout=3) as connection:
            version = connection.execute("SHOW server_version").fetchone()[0]
            buffers = connection.execute("SHOW shared_buffers").fetchone()[0]
    except psycopg.Error:
        return []
    return [f"- PostgreSQL {version.split()[0]}, shared_buffers {buffers}"]


def report(results: list[Result]) -> str:
    lines = [
        "# Performance",
        "",
        "Measured by `make bench` (bench/run.py): a fresh database seeded by bench/seed.py "
        "(rows per database below), served by gunicorn; one client sends the requests "
        f"one after another ({REQUESTS} measured after {WARMUP} warm-up requests, or fewer when "
        f"a case runs longer than {CASE_BUDGET_SECONDS} s; API token or session of an "
        "administrator, who sees every record); then "
        f"{THROUGHPUT_CLIENTS} concurrent clients send {THROUGHPUT_REQUESTS:,} list requests. "
        f"Targets (issue 3 §7): p95 below {TARGET_P95_MS:.0f} ms on SQLite and PostgreSQL, "
        f"import of a 5,000-row contact CSV below {IMPORT_TARGET_SECONDS:.0f} s, duplicate scan "
        f"of 100,000 contacts below {SCAN_TARGET_SECONDS:.0f} s. Issue 4 §7: the kanban board "
        f"and the reports p95 below {SALES_TARGET_P95_MS:.0f} ms, lead assignment at "
        f"{ASSIGNMENT_TARGET_RATE} leads/s or more.",
        "",
        *machine_facts(),
        "",
    ]
    for result in results:
        companies, contacts, members, transactions, leads, deals = (*result.rows, 0, 0)[:6]
        lines += [
            f"## {result.backend}",
            "",
            f"Scale `{result.scale}`: {companies:,} companies, {contacts:,} contacts, "
            f"{members:,} members, {transactions:,} transactions, {leads:,} leads, "
            f"{deals:,} opportunities.",
            "",
            *seeding_lines(result),
            "",
        ]
        lines += [
            "| request | n | p50 ms | p95 ms | target p95 ms | met |",
            "| --- | --: | --: | --: | --: | :-: |",
        ]
        for name, (n, p50, p95) in result.cases.items():
            target = result.target(name)
            verdict = "yes" if p95 < target else "**no**"
            lines.append(f"| {name} | {n} | {p50:.1f} | {p95:.1f} | {target:.0f} | {verdict} |")
        for name, error in result.errors.items():
            lines.append(f"| {name} | — | — | — | — | {error} |")
        lines += ["", *job_lines(result)]
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


def seeding_lines(result: Result) -> list[str]:
    if not result.seed_seconds:
        return [
            "Seeding: not measured (`--reuse` of a database seeded before its figures were kept)."
        ]
    rows = sum(result.seeding["rows"].values())
    lines = [
        f"Seeding: {rows:,} rows in {result.seed_seconds:.0f} s ({rows / result.seed_seconds:,.0f}"
        " rows/s; multi-row INSERTs with tags and encrypted, blind-indexed mobile and email, "
        "search indexes kept by triggers on SQLite; no audit rows, see bench/seed.py):",
        "",
    ]
    for table, seconds in result.seeding["seconds"].items():
        count = result.seeding["rows"].get(table, 0)
        rate = f", {count / seconds:,.0f} rows/s" if count and seconds else ""
        lines.append(f"- {table}: {count:,} rows in {seconds:.1f} s{rate}")
    lines += [f"- note: {note}" for note in result.seeding["notes"]]
    return lines


def job_lines(result: Result) -> list[str]:
    targets = {
        "import": f"< {IMPORT_TARGET_SECONDS:.0f} s",
        "duplicate-scan": f"< {SCAN_TARGET_SECONDS:.0f} s",
        "assignment": f"≥ {ASSIGNMENT_TARGET_RATE} leads/s",
    }
    lines = ["| job | seconds | target | met | details |", "| --- | --: | --: | :-: | --- |"]
    for job, outcome in result.jobs.items():
        target = targets[job]
        if "seconds" not in outcome:
            lines.append(f"| {job} | — | {target} | — | {outcome['todo']} |")
            continue
        if job == "assignment":
            met = outcome["rate"] >= ASSIGNMENT_TARGET_RATE
        else:
            met = outcome["seconds"] < (
                IMPORT_TARGET_SECONDS if job == "import" else SCAN_TARGET_SECONDS
            )
        lines.append(
            f"| {job} | {outcome['seconds']:.1f} | {target} | {'yes' if met else '**no**'} "
            f"| {outcome.get('details', '')} |"
        )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--reuse", action="store_true", help="measure the databases seeded by the last run"
    )
    parser.add_argument(
        "--seed-only", action="store_true", help="seed the databases, measure nothing"
    )
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--no-sqlite", action="store_true")
    parser.add_argument(
        "--scale",
        choices=SCALES,
        default="issue3",
        help="issue3: 1,000,000 contacts, 3,000,000 transactions, 200,000 leads, 500,000 "
        "opportunities; small: a tenth of the contacts; tiny",
    )
    parser.add_argument(
        "--postgres-scale", choices=SCALES, help="another scale for PostgreSQL (default: --scale)"
    )
    options = parser.parse_args()
    if not Path(GUNICORN).exists():
        sys.exit(f"gunicorn not found next to {PYTHON}")
    started = time.perf_counter()
    results: list[Result] = []
    text = "Nothing measured."
    backends = [] if options.no_sqlite else [("SQLite", options.scale)]
    if not options.no_postgres:
        backends.append(("PostgreSQL", options.postgres_scale or options.scale))
    for name, scale in backends:
        fresh = not options.reuse
        env = sqlite_env(fresh=fresh) if name == "SQLite" else postgres_env(fresh=fresh)
        if env is None:
            continue
        use_scale(scale)
        results.append(run_backend(name, env, reuse=options.reuse, seed_only=options.seed_only))
        if options.seed_only:
            continue
        results[-1].scale = scale
        # written after each database, so that a long run leaves its figures behind
        text = report(results)
        DOC.write_text(text, encoding="utf-8")
    seconds = time.perf_counter() - started
    if options.seed_only:
        print(f"Seeded in {seconds:.0f} s; measure with `bench/run.py --reuse`.")
        return
    print("\n" + text)
    print(f"Wrote {DOC} in {seconds:.0f} s.")


if __name__ == "__main__":
    main()
