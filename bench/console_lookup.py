"""Intake lookups with 100,000 tickets: caller history by phone and repeat suggestions, server time.

Run: bash scripts/with-test-services.sh .venv/bin/python bench/console_lookup.py [--tickets 100000]
It migrates the database in DATABASE_URL, loads the demo city and N generated tickets (10% open), then times the
two HTMX endpoints the operator's screen calls (through Django's test client, so URL routing, the view, the ORM and
the template all count) beside the core query in raw SQL, and prints median and 95th percentile in milliseconds.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
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

CONTENTS = [
    "小区门口每天傍晚有流动摊贩占道经营，影响通行",
    "工地夜间施工噪音扰民，晚上十一点后仍在作业",
    "垃圾桶满溢多日无人清运，气味很大",
    "物业长期不维修电梯，老人上下楼困难",
    "饭店油烟直排，熏得家里没法开窗",
]


def load(tickets: int) -> None:
    call_command("migrate", verbosity=0)
    call_command("seed_demo", "--without-tickets", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM tickets_ticket")
        if cursor.fetchone()[0] >= tickets:
            return
        cursor.execute("SELECT id FROM tickets_category WHERE depth = 2 ORDER BY id")
        categories = [row[0] for row in cursor.fetchall()]
        cursor.execute("SELECT id FROM org_department WHERE code = 'cgj'")
        cgj = cursor.fetchone()[0]
        cursor.execute(
            "INSERT INTO tickets_caller (name, phone) SELECT '市民', '139' || lpad((i %% 40000)::text, 8, '0')"
            " FROM generate_series(1, %s) i",
            [tickets],
        )
        cursor.execute("SELECT min(id) FROM tickets_caller")
        first_caller = cursor.fetchone()[0]
        cursor.execute(
            """
            INSERT INTO tickets_ticket (number, status, channel, kind, urgency, category_id, address, content,
                confidential, anonymous, caller_id, lead_department_id, created_at, updated_at, media_url,
                tracking_code_hash)
            SELECT '2026' || lpad(i::text, 10, '0'),
                   CASE WHEN i %% 10 = 0 THEN 'in_progress' ELSE 'closed' END, 'phone', 'complaint', 'normal',
                   (%s::bigint[])[1 + i %% %s], '江南区滨江路 ' || (i %% 5000) || ' 号',
                   (%s::text[])[1 + i %% 5] || '（' || i || '）', false, false, %s + i - 1, %s,
                   now() - (i || ' minutes')::interval, now(), '', ''
            FROM generate_series(1, %s) i
            """,
            [categories, len(categories), CONTENTS, first_caller, cgj, tickets],
        )
        cursor.execute("ANALYZE")


def timed(fn: Callable[[int], object], runs: int) -> tuple[float, float]:
    fn(0)  # warm up (connection, jieba's dictionary, caches)
    samples = []
    for i in range(runs):
        start = time.perf_counter()
        fn(i)
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95) - 1]


def raw(sql: str, params: Callable[[int], list]) -> Callable[[int], object]:
    def run(i: int) -> object:
        with connection.cursor() as cursor:
            cursor.execute(sql, params(i))
            return cursor.fetchall()

    return run


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tickets", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=100)
    args = parser.parse_args()
    load(args.tickets)
    from org.models import User
    from tickets.models import Category

    client = Client()
    client.force_login(User.objects.get(username="operator"))
    category = Category.objects.get(code="zdjy").pk
    phone = lambda i: "139" + str(i * 37 % 40000).zfill(8)  # noqa: E731

    def lookup(i: int) -> object:
        response = client.get("/console/lookup/", {"caller_phone": phone(i), "address": f"江南区滨江路 {i} 号"})
        assert response.status_code == 200
        return response

    def suggest(i: int) -> object:
        response = client.get(
            "/console/suggest/",
            {
                "caller_phone": phone(i),
                "address": f"江南区滨江路 {i} 号",
                "category": category,
                "content": "傍晚有摊贩在小区门口占道经营",
            },
        )
        assert response.status_code == 200
        return response

    rows = [
        ("caller history + open at address (GET /console/lookup/)", timed(lookup, args.runs)),
        (
            "  raw SQL: tickets of a phone, newest 10",
            timed(
                raw(
                    "SELECT t.id FROM tickets_ticket t JOIN tickets_caller c ON c.id = t.caller_id WHERE c.phone = %s"
                    " ORDER BY t.created_at DESC LIMIT 10",
                    lambda i: [phone(i)],
                ),
                args.runs,
            ),
        ),
        ("repeat suggestions (GET /console/suggest/)", timed(suggest, args.runs)),
        (
            "  raw SQL: open tickets of the category, 30 days, newest 200",
            timed(
                raw(
                    "SELECT id, content FROM tickets_ticket WHERE status IN ('received','dispatched','returned',"
                    "'in_progress','replied','awaiting_survey','rectifying') AND category_id = %s"
                    " AND created_at >= now() - interval '30 days' ORDER BY created_at DESC LIMIT 200",
                    lambda i: [category],
                ),
                args.runs,
            ),
        ),
    ]
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*), count(*) FILTER (WHERE status <> 'closed') FROM tickets_ticket")
        total, open_ = cursor.fetchone()
    print(f"tickets: {total} ({open_} open), runs per line: {args.runs}")
    print(f"{'what':64} {'median ms':>10} {'p95 ms':>8}")
    for name, (median, p95) in rows:
        print(f"{name:64} {median:10.2f} {p95:8.2f}")


if __name__ == "__main__":
    main()
