"""Supervisors' pages with 1,000,000 tickets (100,000 open): the overdue dashboard and the monthly rates.

Run: bash scripts/with-test-services.sh .venv/bin/python bench/supervision.py [--tickets 1000000]
Uses the generator of bench/workbench_queue.py, then times (server time through Django's test client):
GET /supervision/ (red/yellow by clock, age and department), GET /supervision/rankings/ (every department's rates for
a month from the rollup), and rollup_month (recomputing one month's rates for every department from the rows, what
the Celery refresh does), each beside the same question in raw SQL.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
# isort: off
from workbench_queue import load, timed  # sets up Django first
from django.db import connection
from django.test import Client
# isort: on


def raw(sql: str, params: list | None = None) -> Callable[[], object]:
    def run() -> object:
        with connection.cursor() as cursor:
            cursor.execute(sql, params or [])
            return cursor.fetchall()

    return run


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--explain", action="store_true", help="time each query of the dashboard page")
    args = parser.parse_args()
    load(args.tickets)
    from org.models import User
    from reviews.rollup import rollup_month

    with connection.cursor() as cursor:
        cursor.execute("SELECT date_trunc('month', max(created_at) - interval '40 days') FROM tickets_ticket")
        month = cursor.fetchone()[0].date()
    rollup_month(month)
    client = Client()
    client.force_login(User.objects.get(username="supervisor"))

    def page(path: str, **params: str) -> Callable[[], object]:
        return lambda: client.get(path, params)

    lines = [
        ("GET /supervision/ (red/yellow by clock, age, department)", page("/supervision/")),
        (
            "  raw SQL: open clocks past their warning time (red, yellow) by kind and department",
            raw(
                "SELECT kind, department_id, count(*) FILTER (WHERE due_at <= now()),"
                " count(*) FILTER (WHERE due_at > now())"
                " FROM tickets_deadline WHERE state = 'open' AND warn_at <= now() GROUP BY 1, 2"
            ),
        ),
        (
            f"GET /supervision/rankings/?month={month:%Y-%m} (all departments, from the rollup)",
            page("/supervision/rankings/", month=f"{month:%Y-%m}"),
        ),
        (
            "  raw SQL: the rollup rows of the month",
            raw(
                "SELECT department_id, rate, numerator, denominator FROM reviews_monthlyrollup WHERE month = %s",
                [month],
            ),
        ),
        (f"rollup_month({month:%Y-%m}): every department's 7 rates from the rows", lambda: rollup_month(month)),
        (
            "  raw SQL: on-time response of the month for every department in one GROUP BY",
            raw(
                "SELECT department_id, count(*) FILTER (WHERE met_at <= due_at), count(*) FROM tickets_deadline"
                " WHERE kind = 'response' AND state <> 'superseded'"
                " AND ((state = 'met' AND met_at >= %s AND met_at < %s)"
                " OR (state = 'open' AND due_at >= %s AND due_at < %s)) GROUP BY 1",
                [month, date(month.year + month.month // 12, month.month % 12 + 1, 1)] * 2,
            ),
        ),
    ]
    if args.explain:
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            client.get("/supervision/")
        for query in queries.captured_queries:
            print(f"{float(query['time']) * 1000:8.1f} ms  {query['sql'][:150]}")
    print(f"month: {month:%Y-%m}; runs per line: {args.runs}")
    print(f"{'what':78} {'median ms':>10} {'p95 ms':>8}")
    for name, fn in lines:
        median, p95 = timed(fn, args.runs if "rollup_month" not in name else max(3, args.runs // 10))
        print(f"{name[:78]:78} {median:10.2f} {p95:8.2f}")


if __name__ == "__main__":
    main()
