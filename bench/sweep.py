"""The minute's deadline sweep (tickets/sweeps.py) over years of closed history, and 100,000 clocks breaching at once.

Run on the durable benchmark PostgreSQL (fsync, synchronous_commit and full_page_writes on, as production):
    eval "$(scripts/bench-database.sh start DIR PORT)"
    .venv/bin/python bench/sweep.py --tickets 1000000            # history, then nothing due: median and p95
    .venv/bin/python bench/sweep.py --tickets 1000000 --breaching 100000 --workers 2

History: N closed tickets, each with a met response and a met reply clock, loaded set-based (``history_load``;
a second run with a larger N adds the difference). Nothing due: ``sweep_deadlines()`` beside the same two claim
queries in raw SQL, and the plans of the queries the sweep sends (EXPLAIN ANALYZE, BUFFERS): each reads a range of
a partial index that only holds open, unswept clocks, so it does not grow with the history.

Breaching: ``--breaching M`` open tickets of the handling departments, each with a response clock due a few seconds
ago (the same minute), then the sweep as production runs it: ``sweep_deadlines_task`` sent through Redis to a Celery
worker (``--workers K`` tasks to K worker processes, which claim with SKIP LOCKED), timed from the send until every
clock is recorded: breached_at, its event, its supervision notice and its outbox row (counted in SQL after).
Needs REDIS_URL (a redis-server of your own).
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hotline.settings")
os.environ.setdefault("HOTLINE_ENV", "test")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from workbench_queue import timed  # noqa: E402  # the same median and p95 as the other benchmarks

PREFIX = "2019"  # history tickets' numbers: 2019 + 10 digits, apart from the other generators' and today's
HISTORY = """
WITH t AS (
    INSERT INTO tickets_ticket (number, status, channel, kind, urgency, category_id, address, content, confidential,
        anonymous, lead_department_id, created_at, updated_at, media_url, tracking_code_hash, owner_queue)
    SELECT '2019' || lpad(i::text, 10, '0'), 'closed', 'phone', 'complaint', 'normal',
           (%(categories)s::bigint[])[1 + i %% %(ncat)s], '地址 ' || (i %% 9000), '工单内容 ' || i, false, false,
           (%(departments)s::bigint[])[1 + (i / 10) %% %(ndep)s],
           now() - interval '3 days' - (%(n)s - i) * %(step)s::interval, now(), '', '', ''
    FROM generate_series(%(first)s, %(n)s) i
    RETURNING id, lead_department_id, created_at
)
INSERT INTO tickets_deadline (ticket_id, department_id, kind, state, started_at, due_at, warn_at, provisional,
    met_at, cause, working_days, extra_working_days)
SELECT t.id, t.lead_department_id, k.kind, 'met', t.created_at, t.created_at + k.span,
       t.created_at + k.span * 0.8, false, t.created_at + interval '3 hours', '', k.days, 0
FROM t CROSS JOIN (VALUES ('response', interval '1 day', 1), ('reply', interval '7 days', 5)) k(kind, span, days)
"""
CHUNK = 1_000_000


def history_load(n: int, per_day: int = 5000) -> None:
    """N closed tickets with met clocks, ``per_day`` a day back from three days ago; adds what a smaller load lacks."""
    call_command("migrate", verbosity=0)
    call_command("seed_demo", "--without-tickets", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM tickets_ticket WHERE number LIKE %s", [PREFIX + "%"])
        have = cursor.fetchone()[0]
        if have >= n:
            return
        cursor.execute("SELECT array_agg(id) FROM tickets_category WHERE depth = 2")
        categories = cursor.fetchone()[0]
        cursor.execute("SELECT array_agg(id) FROM org_department WHERE kind NOT IN ('centre', 'city', 'district')")
        departments = cursor.fetchone()[0]
        started = time.perf_counter()
        for first in range(have + 1, n + 1, CHUNK):
            with transaction.atomic():
                cursor.execute(
                    HISTORY,
                    {
                        "first": first,
                        "n": min(first + CHUNK - 1, n),
                        "step": f"{86400 / per_day} seconds",
                        "categories": categories,
                        "ncat": len(categories),
                        "departments": departments,
                        "ndep": len(departments),
                    },
                )
            print(f"  loaded up to {min(first + CHUNK - 1, n)} ({time.perf_counter() - started:.0f} s)", flush=True)
        cursor.execute("VACUUM ANALYZE tickets_ticket")
        cursor.execute("VACUUM ANALYZE tickets_deadline")
        print(
            f"loaded {n - have} closed tickets and {2 * (n - have)} met clocks in {time.perf_counter() - started:.0f} s"
        )


RAW_BREACH = (
    "SELECT id FROM tickets_deadline WHERE state = 'open' AND breached_at IS NULL AND due_at <= now()"
    " ORDER BY due_at LIMIT 500 FOR UPDATE SKIP LOCKED"
)
RAW_WARN = (
    "SELECT id FROM tickets_deadline WHERE state = 'open' AND breached_at IS NULL AND warned_at IS NULL"
    " AND warn_at <= now() ORDER BY warn_at LIMIT 500 FOR UPDATE SKIP LOCKED"
)


def nothing_due(runs: int) -> None:
    from tickets.sweeps import sweep_deadlines

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM tickets_deadline WHERE state = 'open' AND breached_at IS NULL AND due_at <= now()"
        )
        due = cursor.fetchone()[0]
    assert due == 0, f"{due} clocks are due: not the nothing-due case"

    def sweep() -> None:
        result = sweep_deadlines()
        assert result.breached == 0 and result.warned == 0, result

    def raw() -> None:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT CURRENT_TIMESTAMP")
            cursor.execute(RAW_BREACH)
            cursor.fetchall()
            cursor.execute(RAW_WARN)
            cursor.fetchall()

    with CaptureQueriesContext(connection) as queries:
        sweep_deadlines()
    print(f"the sweep with nothing due sends {len(queries.captured_queries)} queries:")
    for query in queries.captured_queries:
        print("  ", " ".join(query["sql"].split())[:100])
    for query in queries.captured_queries:
        sql = query["sql"].strip()
        if not sql.startswith(("SELECT", "WITH")) or "tickets_deadline" not in sql:
            continue
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " + sql)
            plan = "\n    ".join(row[0] for row in cursor.fetchall())
            transaction.set_rollback(True)  # nothing is due, and nothing of it is kept either way
        print(f"  {sql[:160]}…\n    {plan}")
    print(f"{'what':62} {'median ms':>10} {'p95 ms':>8}  load")
    for name, fn in (
        ("sweep_deadlines() with nothing due (breach + warn claims)", sweep),
        ("  raw SQL: the same two claims in one transaction", raw),
    ):
        median, p95 = timed(fn, runs)
        print(f"{name:62} {median:10.2f} {p95:8.2f}  {os.getloadavg()[0]:.2f}")


BREACHING = """
WITH t AS (
    INSERT INTO tickets_ticket (number, status, channel, kind, urgency, category_id, address, content, confidential,
        anonymous, lead_department_id, created_at, updated_at, media_url, tracking_code_hash, owner_queue,
        owner_department_id, owner_due_at, owner_since)
    SELECT %(prefix)s || lpad(i::text, 7, '0'), 'dispatched', 'phone', 'complaint', 'normal',
           (%(categories)s::bigint[])[1 + i %% %(ncat)s], '地址 ' || (i %% 9000), '到期工单 ' || i, false, false,
           (%(departments)s::bigint[])[1 + i %% %(ndep)s], now() - interval '2 days', now(), '', '', 'sign',
           (%(departments)s::bigint[])[1 + i %% %(ndep)s], now() - interval '20 seconds', now() - interval '2 days'
    FROM generate_series(1, %(n)s) i
    RETURNING id, lead_department_id, created_at
)
INSERT INTO tickets_deadline (ticket_id, department_id, kind, state, started_at, due_at, warn_at, provisional,
    warned_at, cause, working_days, extra_working_days)
SELECT t.id, t.lead_department_id, 'response', 'open', t.created_at, now() - interval '20 seconds',
       now() - interval '1 day', false, now() - interval '1 day', '', 1, 0
FROM t
"""


def breaching(n: int, workers: int, give_up: float = 600) -> None:
    from tickets.tasks import sweep_deadlines_task

    with connection.cursor() as cursor:
        cursor.execute("SELECT array_agg(id) FROM tickets_category WHERE depth = 2")
        categories = cursor.fetchone()[0]
        cursor.execute("SELECT array_agg(id) FROM org_department WHERE kind NOT IN ('centre', 'city', 'district')")
        departments = cursor.fetchone()[0]
        cursor.execute("SELECT to_char(now(), 'DDHH24MI')")
        prefix = "9" + cursor.fetchone()[0]  # 9 + day, hour, minute + 7 digits: one batch of due tickets per minute
        started = time.perf_counter()
        cursor.execute(
            BREACHING,
            {
                "prefix": prefix,
                "n": n,
                "categories": categories,
                "ncat": len(categories),
                "departments": departments,
                "ndep": len(departments),
            },
        )
        cursor.execute("ANALYZE tickets_deadline")
        cursor.execute("SELECT max(id) - %s FROM tickets_deadline", [n])
        floor = cursor.fetchone()[0]
        print(f"inserted {n} open response clocks due 20 s ago in {time.perf_counter() - started:.1f} s")
    log = open(Path(os.environ.get("TMPDIR", "/tmp")) / "bench-sweep-worker.log", "w")  # noqa: SIM115
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "hotline", "worker", "-c", str(workers), "--pool", "prefork",
         "-l", "WARNING", "-n", f"bench-sweep-{os.getpid()}@%h"],
        stdout=log, stderr=subprocess.STDOUT, env={**os.environ}, start_new_session=True,
    )  # fmt: skip
    try:
        time.sleep(8)  # the worker's processes up and listening before the clock starts
        assert worker.poll() is None, "the worker did not start: see bench-sweep-worker.log"
        started = time.perf_counter()
        for _ in range(workers):
            sweep_deadlines_task.delay()
        recorded = 0
        while recorded < n and time.perf_counter() - started < give_up:
            time.sleep(0.2)
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT count(*) FROM tickets_deadline WHERE id > %s AND breached_at IS NOT NULL", [floor]
                )
                recorded = cursor.fetchone()[0]
        elapsed = time.perf_counter() - started
    finally:
        worker.terminate()  # it may be delivering the breach notifications the sweep nudged: not part of the timing
        try:
            worker.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)  # the worker's own process group: its pool processes too
            worker.wait(10)
    done = "all recorded" if recorded >= n else f"only {recorded} recorded (gave up)"
    print(
        f"{n} clocks breaching in the same minute: {done} in {elapsed:.1f} s by {workers} worker process(es)"
        f" ({recorded / elapsed:.0f} clocks/s; load {os.getloadavg()[0]:.2f})"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT count(*),
                   count(*) FILTER (WHERE d.breached_at IS NOT NULL),
                   count(*) FILTER (WHERE (SELECT count(*) FROM tickets_ticketevent e
                                           WHERE e.deadline_id = d.id AND e.verb = 'response_breached') = 1),
                   count(*) FILTER (WHERE (SELECT count(*) FROM tickets_supervisionnotice s
                                           WHERE s.deadline_id = d.id AND s.department_id = d.department_id) = 1),
                   count(*) FILTER (WHERE (SELECT count(*) FROM tickets_outbox o
                                           WHERE o.key = 'breach:' || d.id AND o.department_id = d.department_id
                                             AND o.ticket_id = d.ticket_id AND o.heads_only) = 1)
            FROM tickets_deadline d WHERE d.id > %s
            """,
            [floor],
        )
        total, breached, events, notices, outbox = cursor.fetchone()
    print(
        f"check in SQL: {total} clocks, {breached} breached, {events} with exactly one breach event,"
        f" {notices} with exactly one supervision notice, {outbox} with exactly one outbox row"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tickets", type=int, default=1_000_000, help="closed tickets of history (met clocks)")
    parser.add_argument("--runs", type=int, default=100)
    parser.add_argument("--skip-idle", action="store_true", help="only the breaching run")
    parser.add_argument("--give-up", type=float, default=600, help="seconds to wait for the breaching run")
    parser.add_argument("--breaching", type=int, default=0, help="then this many clocks breaching at once")
    parser.add_argument("--workers", type=int, default=1, help="worker processes (and tasks) for the breaching run")
    args = parser.parse_args()
    history_load(args.tickets)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*), count(*) FILTER (WHERE state = 'open') FROM tickets_deadline")
        clocks, open_clocks = cursor.fetchone()
        cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
        size = cursor.fetchone()[0]
    print(f"history: {args.tickets} closed tickets; clocks: {clocks} ({open_clocks} open); database {size}")
    if not args.skip_idle:
        nothing_due(args.runs)
    if args.breaching:
        breaching(args.breaching, args.workers, args.give_up)


if __name__ == "__main__":
    main()
