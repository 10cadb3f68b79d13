"""The department workbench with 1,000,000 tickets (100,000 open) and years of closed clocks, server time.

Every queue is read from the owner columns that tickets/owner.py decides (partial index ``ticket_owner_queue``).

Run: bash scripts/with-test-services.sh .venv/bin/python bench/workbench_queue.py [--tickets 1000000] [--generator]
Loads the demo city and N tickets spread over the handling departments (10% open with open response/reply clocks,
90% closed with met clocks), or with --generator the realistic centre of bench/generate.py (5,000 a day, 2% open,
with everything the product writes for them), then times GET /workbench/ for 市城市管理局's handler (all seven tab
counts and the first page of 待签收, through Django's test client) beside the page's main query in raw SQL. The counts
are read from the counts the database keeps (tickets/queue_counts.py); counting the queue's tickets is shown beside.
"""

from __future__ import annotations

import argparse
import os
import statistics
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
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

LOAD = """
INSERT INTO tickets_ticket (number, status, channel, kind, urgency, category_id, address, content, confidential,
    anonymous, lead_department_id, created_at, updated_at, media_url, tracking_code_hash,
    owner_queue, owner_department_id, owner_due_at, owner_since)
SELECT '2020' || lpad(i::text, 10, '0'),
       CASE WHEN i %% 10 = 0 THEN (CASE WHEN i %% 20 = 0 THEN 'dispatched' ELSE 'in_progress' END) ELSE 'closed' END,
       'phone', 'complaint', 'normal', (%(categories)s::bigint[])[1 + i %% %(ncat)s], '地址 ' || (i %% 9000),
       '工单内容 ' || i, false, false, (%(departments)s::bigint[])[1 + (i / 10) %% %(ndep)s],
       now() - (%(n)s - i) * %(step)s::interval, now(), '', '',
       CASE WHEN i %% 10 = 0 THEN (CASE WHEN i %% 20 = 0 THEN 'sign' ELSE 'reply' END) ELSE '' END,
       CASE WHEN i %% 10 = 0 THEN (%(departments)s::bigint[])[1 + (i / 10) %% %(ndep)s] END,
       CASE WHEN i %% 10 = 0 THEN now() - (%(n)s - i) * %(step)s::interval
            + (CASE WHEN i %% 20 = 0 THEN interval '1 day' ELSE interval '7 days' END) END,
       CASE WHEN i %% 10 = 0 THEN now() - (%(n)s - i) * %(step)s::interval END
FROM generate_series(1, %(n)s) i
"""
CLOCKS = """
INSERT INTO tickets_deadline (ticket_id, department_id, kind, state, started_at, due_at, warn_at, provisional,
    met_at, cause, working_days, extra_working_days)
SELECT t.id, t.lead_department_id, k.kind,
       CASE WHEN t.status = 'closed' OR (k.kind = 'response' AND t.status = 'in_progress') THEN 'met' ELSE 'open' END,
       t.created_at, t.created_at + k.span, t.created_at + k.span * 0.8, false,
       CASE WHEN t.status = 'closed' OR (k.kind = 'response' AND t.status = 'in_progress')
            THEN t.created_at + interval '3 hours' END, '', k.days, 0
FROM tickets_ticket t
CROSS JOIN (VALUES ('response', interval '1 day', 1), ('reply', interval '7 days', 5)) k(kind, span, days)
"""


def load(n: int, per_day: int = 1440) -> None:
    """N tickets received evenly over the time before now, ``per_day`` a day (one a minute by default)."""
    call_command("migrate", verbosity=0)
    call_command("seed_demo", "--without-tickets", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM tickets_ticket")
        if cursor.fetchone()[0] >= n:
            return
        cursor.execute("SELECT array_agg(id) FROM tickets_category WHERE depth = 2")
        categories = cursor.fetchone()[0]
        cursor.execute("SELECT array_agg(id) FROM org_department WHERE kind NOT IN ('centre', 'city', 'district')")
        departments = cursor.fetchone()[0]
        started = time.perf_counter()
        cursor.execute(
            LOAD,
            {
                "n": n,
                "step": f"{86400 / per_day} seconds",
                "categories": categories,
                "ncat": len(categories),
                "departments": departments,
                "ndep": len(departments),
            },
        )
        cursor.execute(CLOCKS)
        cursor.execute("VACUUM ANALYZE")  # the steady state autovacuum keeps: visibility map set, statistics fresh
        print(f"loaded {n} tickets and {2 * n} clocks in {time.perf_counter() - started:.0f} s")


def timed(fn, runs: int) -> tuple[float, float]:
    fn()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95) - 1]


def explain() -> None:
    from django.db import reset_queries
    from django.test.utils import CaptureQueriesContext

    from org.models import User

    client = Client()
    client.force_login(User.objects.get(username="handler"))
    reset_queries()
    with CaptureQueriesContext(connection) as queries:
        client.get("/workbench/", {"tab": "sign"})
    for query in queries.captured_queries:
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + query["sql"])
            plan = "\n".join(row[0] for row in cursor.fetchall())
        print(f"--- {(time.perf_counter() - started) * 1000:.1f} ms: {query['sql'][:200]}\n{plan}\n")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--explain", action="store_true", help="print the plans of the page's queries")
    parser.add_argument("--generator", action="store_true", help="load the realistic centre of bench/generate.py")
    args = parser.parse_args()
    if args.generator:
        from generate import generate

        generate(args.tickets)
    else:
        load(args.tickets)
    if args.explain:
        explain()
    from org.models import User

    client = Client()
    client.force_login(User.objects.get(username="handler"))

    def work() -> None:
        assert client.get("/api/v1/work/").status_code == 200

    def page(tab: str):
        def get() -> None:
            assert client.get("/workbench/", {"tab": tab}).status_code == 200

        return get

    def raw() -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT t.id, t.number, t.owner_due_at FROM tickets_ticket t WHERE t.owner_queue = 'sign'"
                " AND t.owner_department_id = (SELECT id FROM org_department WHERE code = 'cgj')"
                " ORDER BY t.owner_due_at NULLS LAST, t.owner_since, t.id LIMIT 50"
            )
            cursor.fetchall()

    def raw_count() -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM tickets_ticket t WHERE t.owner_queue = 'sign'"
                " AND t.owner_department_id = (SELECT id FROM org_department WHERE code = 'cgj')"
            )
            cursor.fetchall()

    def raw_kept() -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT queue, sum(n) FROM (SELECT queue, tickets AS n FROM tickets_queuecount WHERE unit = %s"
                " UNION ALL SELECT queue, delta FROM tickets_queuecountdelta WHERE unit = %s) c GROUP BY queue",
                [handler.department_id, handler.department_id],
            )
            cursor.fetchall()

    handler = User.objects.get(username="handler")
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*), count(*) FILTER (WHERE status <> 'closed') FROM tickets_ticket")
        total, open_ = cursor.fetchone()
        cursor.execute("SELECT count(*), count(*) FILTER (WHERE state = 'open') FROM tickets_deadline")
        clocks, open_clocks = cursor.fetchone()
        cursor.execute(
            "SELECT count(*) FROM tickets_deadline d JOIN org_department o ON o.id = d.department_id"
            " WHERE d.state = 'open' AND o.code = 'cgj'"
        )
        mine = cursor.fetchone()[0]
    print(
        f"tickets: {total} ({open_} open); clocks: {clocks} ({open_clocks} open, {mine} open of the handler's "
        f"department); runs per line: {args.runs}"
    )
    print(f"{'what':62} {'median ms':>10} {'p95 ms':>8}")
    for name, fn in (
        ("GET /workbench/?tab=sign (every tab's count + first 50 rows)", page("sign")),
        ("GET /workbench/?tab=reply", page("reply")),
        ("GET /api/v1/work/ (every queue's count + first page)", work),
        ("  raw SQL: first 50 of the department's 待签收, soonest due", raw),
        ("  raw SQL: the count of that queue, counting its tickets", raw_count),
        ("  raw SQL: every queue's count of the department, kept", raw_kept),
    ):
        median, p95 = timed(fn, args.runs)
        print(f"{name:62} {median:10.2f} {p95:8.2f}")


if __name__ == "__main__":
    main()
