"""django-helpdesk's bare ticket create through its own REST API, under the conditions of bench/intake.py.

What it measures: POST /api/tickets/ of django-helpdesk (https://github.com/django-helpdesk/django-helpdesk, the
closest Django peer) with a title, a queue, a description, a submitter e-mail and a priority, answered 201 with the
ticket's record. gunicorn (sync workers, 2 unless --workers; threads as well with bench/intake.py --threads) serves
a minimal production-like project around it (bench/helpdesk/: DEBUG off, PostgreSQL, token authentication) while 4
client processes, each with bench/intake.py's ``Poster``, post for --seconds after a 3 s warm-up, as bench/intake.py
does. It prints tickets/s and each create's median and p95 in bench/intake.py's columns, then checks in SQL that the
helpdesk_ticket rows made while measuring are as many as the 201 answers, each with its "Ticket Opened" follow-up
that records the e-mail sent.

Run on the durable benchmark PostgreSQL (the same server as bench/intake.py; a database helpdesk_bench is dropped
and created there, nothing else is touched):
    export DATABASE_URL=postgres://postgres@127.0.0.1:55440/hotline_bench
    .venv/bin/python bench/helpdesk_intake.py --seconds 20
From Python: ``run(seconds, dsn)`` returns (tickets/s, median ms, p95 ms); importing this module does nothing.

What it asks of django-helpdesk: its pinned release and dependencies (bench/helpdesk/requirements.txt) in a venv of
its own (~/.cache/hotline-bench/helpdesk-venv unless --venv), created and installed with pip on first use; its
migrations (which load its e-mail templates); one queue; one staff superuser with a Django REST framework token
(``Authorization: Token …``; helpdesk's API takes DRF's DEFAULT_AUTHENTICATION_CLASSES). Its create path runs as
shipped: TicketForm validates and saves the ticket, writes the "Ticket Opened" follow-up, renders and sends the
new-ticket e-mail to the submitter (the console backend writes it to gunicorn's log), records the recipients on the
follow-up, looks for backlinks and sends its new-ticket signal. Django's default autocommit, as helpdesk ships: each
of its writes (the ticket's and the follow-up's inserts, then their updates) commits on its own.
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
PROJECT = ROOT / "bench" / "helpdesk"
REQUIREMENTS = PROJECT / "requirements.txt"
# Outside the repository: makemessages and the linters walk the project's directories, helpdesk's files included.
DEFAULT_VENV = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "hotline-bench" / "helpdesk-venv"
DATABASE = "helpdesk_bench"
CLIENTS = 4
WARMUP_SECONDS = 3.0
NAME = "django-helpdesk: POST /api/tickets/ (bare create)"
HEADERS = {"X-Forwarded-Proto": "https"}  # behind a TLS proxy, as bench/intake.py's server

from intake import Poster, clients, content, free_port, line, percentiles  # noqa: E402  (bench/ is on the path)

ClientResult = tuple[list[float], list[int], list[str], int]


@dataclass
class Measurement:
    count: int  # 201 answers
    elapsed: float
    latencies: list[float]
    errors: list[str]  # the first few
    failed: int
    check: str
    check_ok: bool
    context: str

    @property
    def rate(self) -> float:
        return self.count / self.elapsed if self.elapsed else 0.0


def ensure_venv(venv: Path) -> Path:
    """The helpdesk venv's python, after creating the venv and installing the pins if they changed."""
    python = venv / "bin" / "python"
    marker = venv / ".bench-requirements.txt"
    wanted = REQUIREMENTS.read_text()
    if not python.exists():
        print(f"creating {venv} …", flush=True)
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    if not marker.exists() or marker.read_text() != wanted:
        print(f"installing {REQUIREMENTS.relative_to(ROOT)} into {venv} …", flush=True)
        subprocess.run(
            [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-r", str(REQUIREMENTS)],
            check=True,
        )
        marker.write_text(wanted)
    return python


def database_url(dsn: str, name: str) -> str:
    """The same server and credentials as dsn, another database."""
    parts = urlsplit(dsn)
    if parts.scheme not in ("postgres", "postgresql"):
        raise SystemExit(f"DATABASE_URL must be a postgres:// URL, not {parts.scheme}://")
    return urlunsplit(parts._replace(path=f"/{name}"))


def recreate_database(dsn: str) -> None:
    """Drop and create helpdesk_bench on dsn's server; dsn's own database is only connected to."""
    import psycopg2

    if urlsplit(dsn).path.lstrip("/") == DATABASE:
        dsn = database_url(dsn, "postgres")
    connection = psycopg2.connect(dsn)
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
            cursor.execute(f"CREATE DATABASE {DATABASE}")
    finally:
        connection.close()


def sql(url: str, query: str, params: Any = None) -> tuple[Any, ...]:
    import psycopg2

    connection = psycopg2.connect(url)
    try:
        with connection.cursor() as cursor:
            cursor.execute(query, params)
            row = cursor.fetchone()
            assert row is not None
            return tuple(row)
    finally:
        connection.close()


def api_client(
    index: int, base: str, token: str, queue: int, seconds: float, out: multiprocessing.Queue[ClientResult]
) -> None:
    """POST tickets with bench/intake.py's ``Poster`` for seconds: latencies and ids of the 201s, the first errors."""
    poster = Poster(base, {"Authorization": f"Token {token}", **HEADERS})
    latencies: list[float] = []
    ids: list[int] = []
    errors: list[str] = []
    failed = 0
    deadline = time.perf_counter() + seconds
    n = 0
    while time.perf_counter() < deadline:
        text = content(index * 1_000_000 + n)
        body = {
            "queue": queue,
            "title": text[:40],
            "description": text + f"\n地址：幸福路 {n % 300} 号",
            "submitter_email": f"caller{index}-{n}@example.com",
            "priority": 3,
        }
        n += 1
        started = time.perf_counter()
        try:
            status, answer = poster.post("/api/tickets/", body)
        except (OSError, http.client.HTTPException) as error:
            failed += 1
            if len(errors) < 5:
                errors.append(repr(error))
            continue
        if status != 201:
            failed += 1
            if len(errors) < 5:
                errors.append(f"{status} {answer[:300].decode(errors='replace')}")
            continue
        latencies.append((time.perf_counter() - started) * 1000)
        ids.append(int(json.loads(answer)["id"]))
    out.put((latencies, ids, errors, failed))


def helpdesk_clients(
    base: str, token: str, queue: int, seconds: float
) -> tuple[list[float], list[int], list[str], int, float]:
    """``CLIENTS`` processes posting for ``seconds`` (bench/intake.py's ``clients``)."""
    return clients(api_client, [(i, base, token, queue, seconds) for i in range(CLIENTS)])


def check(url: str, ids: list[int], before: int) -> tuple[str, bool]:
    """The rows made while measuring against the 201s: tickets, their opening follow-up, its e-mail recipient."""
    total, found, opened, mailed = sql(
        url,
        """
        SELECT (SELECT count(*) FROM helpdesk_ticket),
               count(*),
               count(*) FILTER (WHERE EXISTS (SELECT 1 FROM helpdesk_followup f WHERE f.ticket_id = t.id
                                AND f.title = 'Ticket Opened')),
               count(*) FILTER (WHERE EXISTS (SELECT 1 FROM helpdesk_followup f WHERE f.ticket_id = t.id
                                AND f.email_recipients @> jsonb_build_array(t.submitter_email)))
        FROM helpdesk_ticket t WHERE t.id = ANY(%s)
        """,
        [ids],
    )
    created = total - before
    ok = created == len(ids) == found == opened == mailed
    return (
        f"check in SQL: {created} helpdesk_ticket rows created while measuring, {len(ids)} answers 201"
        f" ({'equal' if created == len(ids) else 'NOT EQUAL'}); {found} of the answered ids found, {opened} with the"
        f" 'Ticket Opened' follow-up, {mailed} whose follow-up records the e-mail sent to the submitter"
    ), ok


class Served:
    """django-helpdesk set up on a fresh helpdesk_bench and served by gunicorn, warmed up, to be measured once or
    several times (bench/intake.py --rounds alternates it with the hotline's intake on the same machine)."""

    def __init__(self, dsn: str, venv: Path = DEFAULT_VENV, workers: int = 2, threads: int = 0) -> None:
        self.dsn, self.venv, self.workers, self.threads = dsn, venv, workers, threads

    def __enter__(self) -> Served:
        import requests

        python = ensure_venv(self.venv)
        self.url = database_url(self.dsn, DATABASE)
        recreate_database(self.dsn)
        self.tmp = Path(tempfile.mkdtemp(prefix="bench-helpdesk-"))
        env = {
            key: value
            for key, value in os.environ.items()
            if key not in ("DJANGO_SETTINGS_MODULE", "PYTHONPATH", "VIRTUAL_ENV", "GUNICORN_CMD_ARGS", "DATABASE_URL")
        }
        env.update(
            {
                "DJANGO_SETTINGS_MODULE": "settings",
                "HELPDESK_DATABASE_URL": self.url,
                "SECRET_KEY": secrets.token_urlsafe(60),
                "HELPDESK_MEDIA_ROOT": str(self.tmp / "media"),
            }
        )
        subprocess.run(
            [str(python), "manage.py", "migrate", "--noinput", "--verbosity", "0"], cwd=PROJECT, env=env, check=True
        )
        setup = subprocess.run(
            [str(python), "setup_bench.py"], cwd=PROJECT, env=env, check=True, capture_output=True, text=True
        )
        self.made = json.loads(setup.stdout.strip().splitlines()[-1])
        versions = subprocess.run(
            [str(python), "-c",
             "import importlib.metadata as m; print(m.version('django-helpdesk'), m.version('Django'))"],
            check=True, capture_output=True, text=True,
        ).stdout.split()  # fmt: skip
        (durability,) = sql(
            self.url,
            "SELECT string_agg(name || '=' || setting, ' ' ORDER BY name) FROM pg_settings"
            " WHERE name IN ('fsync', 'synchronous_commit', 'full_page_writes')",
        )
        self.context = (
            f"django-helpdesk {versions[0]}, Django {versions[1]}; gunicorn {self.workers} workers"
            f"{f' × {self.threads} threads' if self.threads else ''}, {CLIENTS} clients;"
            f" {durability}; database {DATABASE}; e-mail template newticket_submitter (en):"
            f" {self.made['submitter_templates']}"
        )
        port = free_port()
        self.log_path = self.tmp / "gunicorn.log"
        self.log = open(self.log_path, "w")
        # The working directory holds no gunicorn.conf.py: the options below are all there is (sync workers as ours, or
        # as many threads as ours with --threads).
        self.gunicorn = subprocess.Popen(
            [str(self.venv / "bin" / "gunicorn"), "wsgi:application", "--bind", f"127.0.0.1:{port}", "--workers",
             str(self.workers), "--timeout", "30", "--graceful-timeout", "20", "--access-logfile", "-",
             *(["--threads", str(self.threads)] if self.threads else [])],
            cwd=PROJECT, env=env, stdout=self.log, stderr=self.log,
        )  # fmt: skip
        self.base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(300):
                if self.gunicorn.poll() is not None:
                    break
                try:
                    if requests.get(f"{self.base}/api/", headers=HEADERS, timeout=5).ok:
                        break
                except requests.ConnectionError:
                    pass
                time.sleep(0.1)  # waiting for the server to listen, outside any measurement
            else:
                raise SystemExit(f"gunicorn did not answer: {self.log_path.read_text()[-2000:]}")
            if self.gunicorn.poll() is not None:
                raise SystemExit(f"gunicorn exited: {self.log_path.read_text()[-2000:]}")
            # Warm each worker (imports, connections, templates) before the clock starts, as bench/intake.py does.
            helpdesk_clients(self.base, self.made["token"], self.made["queue"], WARMUP_SECONDS)
        except BaseException:
            self.__exit__()
            raise
        return self

    def measure(self, seconds: float) -> Measurement:
        """Post for ``seconds`` with ``CLIENTS`` clients, then check the rows made meanwhile in SQL."""
        (before,) = sql(self.url, "SELECT count(*) FROM helpdesk_ticket")
        latencies, ids, errors, failed, elapsed = helpdesk_clients(
            self.base, self.made["token"], self.made["queue"], seconds
        )
        summary, ok = check(self.url, ids, before)
        if not ok or (failed and not ids):
            print(f"gunicorn log (end): {self.log_path.read_text()[-2000:]}")
        context = f"{self.context}; {seconds:.0f} s each"
        return Measurement(len(ids), elapsed, latencies, errors[:5], failed, summary, ok, context)

    def __exit__(self, *exc: object) -> None:
        self.gunicorn.terminate()
        self.gunicorn.wait(30)
        self.log.close()
        shutil.rmtree(self.tmp, ignore_errors=True)


def measure(seconds: float, dsn: str, venv: Path = DEFAULT_VENV, workers: int = 2) -> Measurement:
    """Set up helpdesk on a fresh helpdesk_bench, serve it with gunicorn, post tickets for seconds, check in SQL."""
    with Served(dsn, venv, workers) as served:
        return served.measure(seconds)


def run(seconds: float, dsn: str) -> tuple[float, float, float]:
    """Tickets/s, median ms and p95 ms of helpdesk's bare create, for bench/intake.py to print beside its own."""
    result = measure(seconds, dsn)
    if not result.check_ok:
        raise RuntimeError(result.check)
    median, p95 = percentiles(result.latencies) if result.latencies else (0.0, 0.0)
    return result.rate, median, p95


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    parser.add_argument("--seconds", type=float, default=40)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--venv", type=Path, default=DEFAULT_VENV, help="django-helpdesk's own venv")
    args = parser.parse_args()
    dsn = os.environ.get("DATABASE_URL", "")
    if not dsn.startswith(("postgres://", "postgresql://")):
        raise SystemExit("set DATABASE_URL to the benchmark PostgreSQL (postgres://…); helpdesk_bench is made there")
    result = measure(args.seconds, dsn, args.venv, args.workers)
    print(result.context)
    print(f"{'what':88} {'tickets/s':>9} {'median ms':>9} {'p95 ms':>9}  load")
    print(line(NAME, result.count, result.elapsed, result.latencies))
    if result.failed:
        print(f"  {result.failed} failed requests, e.g. {result.errors}")
    print(result.check)
    if not result.check_ok:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
