"""Search at scale: a word of the content, a phone number and a number prefix, first page and count, server time.

Run: bash scripts/with-test-services.sh .venv/bin/python bench/search.py --tickets 1000000 [--trigram]
(or with DATABASE_URL of a PostgreSQL that outlives the run: a second run with a larger --tickets adds the rest).

Loads the demo city and N tickets, 10,000 a day from 2024-01-01, their content and addresses drawn from public
Chinese government messages (shared/data/tipdm2020, tokenised once with jieba into the same tsvector the app
writes), each with its own caller and a lead dispatch. Then times GET /tickets/?q=… (Django test client, first page
of 50 with the count capped at 1,000) for the centre's operator and a department handler, beside the same query in
raw SQL; --trigram also builds a pg_trgm index on the content and times LIKE on it, the alternative considered.
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hotline.settings")
os.environ.setdefault("HOTLINE_ENV", "test")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from workbench_queue import timed  # noqa: E402  # the same median and p95 as the other benchmarks

from tickets.models import Ticket  # noqa: E402
from tickets.search.words import document_words, unit_words  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "tipdm2020"
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高"
BATCH = 500_000
WEEK = timedelta(days=7)
PER_DAY = 10_000  # a mega-city's day: 10 million tickets are 1,000 days; a larger --tickets run adds to a smaller

TICKETS = """
INSERT INTO tickets_ticket (id, number, status, channel, kind, urgency, category_id, address, content, confidential,
    anonymous, caller_id, lead_department_id, created_at, updated_at, media_url, tracking_code_hash, owner_queue,
    owner_department_id, owner_due_at, owner_since, search_vector)
SELECT s.i, to_char(s.at, 'YYYYMMDD') || lpad(((s.i - 1) %% %(per_day)s + 1)::text, 6, '0'),
       CASE WHEN s.i %% 10 = 0 THEN 'in_progress' ELSE 'closed' END, 'phone', 'complaint', 'normal',
       (%(categories)s::bigint[])[1 + s.i %% %(ncat)s], p.address, p.content, false, false, s.i,
       (%(departments)s::bigint[])[s.lead], s.at, s.at, '', '',
       CASE WHEN s.i %% 10 = 0 THEN 'reply' ELSE '' END,
       CASE WHEN s.i %% 10 = 0 THEN (%(departments)s::bigint[])[s.lead] END,
       CASE WHEN s.i %% 10 = 0 THEN s.at + interval '7 days' END, CASE WHEN s.i %% 10 = 0 THEN s.at END,
       p.words || array_to_tsvector(
           ARRAY['§' || (%(departments)s::bigint[])[s.lead],
                 '§' || (%(departments)s::bigint[])[s.lead] || '@' || to_char(s.at AT TIME ZONE 'UTC', 'YYYYMM')]
           || CASE WHEN s.i %% 20 = 3
                   THEN ARRAY['§' || (%(departments)s::bigint[])[s.other],
                              '§' || (%(departments)s::bigint[])[s.other] || '@' || to_char(s.at AT TIME ZONE 'UTC',
                                                                                            'YYYYMM')]
                   ELSE ARRAY[]::text[] END)
FROM (SELECT i, %(start)s::timestamptz + ((i - 1) / %(per_day)s) * interval '1 day'
             + ((i - 1) %% %(per_day)s) * (interval '1 day' / %(per_day)s) AS at,
             1 + floor(%(ndep)s * power(((i::bigint * 7919) %% 1000) / 1000.0, 3))::int AS lead,
             1 + (i %% %(ndep)s) AS other
      FROM generate_series(%(first)s, %(last)s) i) s
JOIN bench_pool p ON p.id = s.i %% %(npool)s
"""
CALLERS = """
INSERT INTO tickets_caller (id, name, phone)
SELECT i, substr(%(surnames)s, 1 + i %% 20, 1) || '先生', '138' || lpad((i %% 100000000)::text, 8, '0')
FROM generate_series(%(first)s, %(last)s) i
"""
DISPATCHES = """
INSERT INTO tickets_dispatch (ticket_id, department_id, role, active, dispatched_by_id, dispatched_at, return_state,
    return_reason, reply_text)
SELECT id, lead_department_id, 'lead', true, %(operator)s, created_at, '', '', ''
FROM tickets_ticket WHERE id BETWEEN %(first)s AND %(last)s
UNION ALL  -- one in twenty was first sent to another unit, which returned it: that unit's history finds it too
SELECT id, (%(departments)s::bigint[])[1 + (id %% %(ndep)s)], 'lead', false, %(operator)s, created_at, 'accepted',
       '不属于本单位职责', ''
FROM tickets_ticket WHERE id BETWEEN %(first)s AND %(last)s AND id %% 20 = 3
"""


def pool_rows() -> list[tuple[str, str]]:
    """(content, address) of real messages, or a small synthetic set when the data folder is not beside the repo."""
    rows = []
    for name in ("messages_with_replies.csv", "messages_labelled_sample.csv"):
        path = DATA / name
        if path.exists():
            with path.open(encoding="utf-8") as f:
                rows += [(r["content"].strip()[:600], r["title"].strip()[:100]) for r in csv.DictReader(f)]
    return rows or [(f"小区门口有人占道经营第{i}处，影响通行", f"江南区滨江路 {i} 号") for i in range(2000)]


def load(n: int) -> None:
    call_command("migrate", verbosity=0)
    call_command("seed_demo", "--without-tickets", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM tickets_ticket")
        have = cursor.fetchone()[0]
        if have >= n:
            return
        started = time.perf_counter()
        pool = pool_rows()
        cursor.execute(
            "CREATE TABLE IF NOT EXISTS bench_pool (id int primary key, content text, address text, words tsvector)"
        )
        cursor.execute("TRUNCATE bench_pool")
        for i, (content, address) in enumerate(pool):
            cursor.execute(
                "INSERT INTO bench_pool VALUES (%s, %s, %s, array_to_tsvector(%s::text[]))",
                [i, content, address, document_words(content, address)],
            )
        cursor.execute("SELECT array_agg(id ORDER BY id) FROM tickets_category WHERE depth = 2")
        categories = cursor.fetchone()[0]
        cursor.execute(
            "SELECT array_agg(id ORDER BY id) FROM org_department WHERE kind NOT IN ('centre', 'city', 'district')"
        )
        departments = cursor.fetchone()[0]
        cursor.execute("SELECT id FROM org_user WHERE username = 'operator'")
        operator = cursor.fetchone()[0]
        per_day = PER_DAY
        cursor.execute("DROP INDEX IF EXISTS ticket_search_words")  # built once after the load: much faster
        # The loader writes each ticket's departments into its words itself (the trigger would update every row).
        cursor.execute("ALTER TABLE tickets_dispatch DISABLE TRIGGER ticket_search_department")
        for first in range(have + 1, n + 1, BATCH):
            last = min(n, first + BATCH - 1)
            params = {"first": first, "last": last, "surnames": SURNAMES * 2, "operator": operator}
            cursor.execute(CALLERS, params)
            cursor.execute(
                TICKETS,
                {
                    **params,
                    "per_day": per_day,
                    "start": "2024-01-01T08:00:00+08:00",
                    "categories": categories,
                    "ncat": len(categories),
                    "departments": departments,
                    "ndep": len(departments),
                    "npool": len(pool),
                },
            )
            cursor.execute(DISPATCHES, {**params, "departments": departments, "ndep": len(departments)})
            print(f"  {last} tickets loaded ({time.perf_counter() - started:.0f} s)", flush=True)
        cursor.execute("ALTER TABLE tickets_dispatch ENABLE TRIGGER ticket_search_department")
        cursor.execute("SET maintenance_work_mem = '2GB'")
        cursor.execute("CREATE INDEX ticket_search_words ON tickets_ticket USING gin (search_vector)")
        print(f"  GIN index built ({time.perf_counter() - started:.0f} s)", flush=True)
        for table in ("tickets_caller", "tickets_ticket", "tickets_dispatch"):
            cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
        cursor.execute("VACUUM ANALYZE")
        print(f"loaded {n} tickets, callers and dispatches in {time.perf_counter() - started:.0f} s", flush=True)


def raw(sql: str, params: list) -> Callable[[], object]:
    """First page and capped count, as a hand-written query pair."""

    def run() -> object:
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT t.id, t.number FROM tickets_ticket t WHERE {sql}"
                " ORDER BY t.created_at DESC, t.id DESC LIMIT 51",
                params,
            )
            cursor.fetchall()
            cursor.execute(f"SELECT count(*) FROM (SELECT 1 FROM tickets_ticket t WHERE {sql} LIMIT 1001) c", params)
            return cursor.fetchone()

    return run


def trigram_lines() -> list[tuple[str, Callable[[], object]]]:
    """The alternative: pg_trgm on the raw content (no tokeniser; a two-character word has no full trigram)."""
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        cursor.execute("SET maintenance_work_mem = '2GB'")
        cursor.execute("CREATE INDEX IF NOT EXISTS bench_trgm ON tickets_ticket USING gin (content gin_trgm_ops)")
        cursor.execute("ANALYZE tickets_ticket")
        cursor.execute("SELECT pg_size_pretty(pg_relation_size('bench_trgm'))")
        size = cursor.fetchone()[0]
    print(f"pg_trgm GIN index on content: {size}, built in {time.perf_counter() - started:.0f} s")
    return [
        (f"  raw SQL pg_trgm: content LIKE '%{w}%', first 51 + capped count", raw("t.content LIKE %s", [f"%{w}%"]))
        for w in ("油烟", "物业", "油烟扰民")
    ]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument(
        "--trigram", action="store_true", help="also build a pg_trgm GIN index on the content and time LIKE on it"
    )
    args = parser.parse_args()
    load(args.tickets)
    from org.models import Department, User

    clients = {}
    for username in ("operator", "handler", "unit"):
        clients[username] = Client()
        clients[username].force_login(User.objects.get(username=username))
    with connection.cursor() as cursor:
        cursor.execute("SELECT number, caller_id FROM tickets_ticket WHERE id = %s", [args.tickets // 2 + 7])
        number, caller_id = cursor.fetchone()
        cursor.execute("SELECT phone FROM tickets_caller WHERE id = %s", [caller_id])
        phone = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM tickets_ticket")
        total = cursor.fetchone()[0]
        cursor.execute(
            "SELECT pg_size_pretty(pg_relation_size('ticket_search_words')),"
            " pg_size_pretty(pg_total_relation_size('tickets_ticket'))"
        )
        gin, table = cursor.fetchone()
    written_phone = f"+86 {phone[:3]}-{phone[3:7]}-{phone[7:]}"
    prefix = number[:10]

    def page(username: str, q: str, path: str = "/tickets/") -> Callable[[], object]:
        def get() -> None:
            response = clients[username].get(path, {"q": q})
            assert response.status_code == 200

        return get

    shares = {}
    for username in ("handler", "unit"):
        user = User.objects.get(username=username)
        assert user.department is not None
        units = list(Department.objects.filter(path__startswith=user.department.path).values_list("pk", flat=True))
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(DISTINCT ticket_id) FROM tickets_dispatch WHERE department_id = ANY(%s)", [units]
            )
            shares[username] = (units, cursor.fetchone()[0] / total)
        print(f"{username}: {user.department} and its units handled {shares[username][1]:.1%} of the tickets")

    newest = Ticket.objects.order_by("-created_at").values_list("created_at", flat=True)[0]
    words = ["油烟", "物业", "小区"]
    lines: list[tuple[str, Callable[[], object]]] = []
    for word in words:
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM tickets_ticket WHERE search_vector @@ %s::tsquery", [word])
            matches = cursor.fetchone()[0]
        lines += [
            (f"GET /tickets/?q={word} (centre; {matches} match)", page("operator", word)),
            (f"GET /api/v1/tickets/?q={word} (centre)", page("operator", word, "/api/v1/tickets/")),
            ("  raw SQL: tsvector @@ tsquery, first 51 + capped count", raw("t.search_vector @@ %s::tsquery", [word])),
        ]
        for username in ("handler", "unit"):
            units, share = shares[username]
            lines += [
                (f"GET /tickets/?q={word} ({username}, {share:.1%} of tickets)", page(username, word)),
                (
                    "  raw SQL: the same, scope by a dispatch in the subtree",
                    raw(
                        "t.search_vector @@ %s::tsquery AND EXISTS (SELECT 1 FROM tickets_dispatch d"
                        " WHERE d.ticket_id = t.id AND d.department_id = ANY(%s))",
                        [word, units],
                    ),
                ),
                (
                    "  raw SQL: word AND the units' words of this month and the last",
                    raw(
                        "t.search_vector @@ (%s || ' & (' || %s || ')')::tsquery",
                        [f"'{word}'", " | ".join(f"'{w}'" for w in unit_words(units, (newest - WEEK, newest)))],
                    ),
                ),
            ]
    lines += [
        (f"GET /tickets/?q={written_phone} (phone, centre)", page("operator", written_phone)),
        (
            "  raw SQL: caller_id IN (callers with the phone)",
            raw("t.caller_id IN (SELECT id FROM tickets_caller WHERE phone = %s)", [phone]),
        ),
        (f"GET /tickets/?q={prefix} (number prefix, centre)", page("operator", prefix)),
        ("  raw SQL: number range", raw("t.number >= %s AND t.number < %s", [prefix, str(int(prefix) + 1)])),
    ]
    if args.trigram:
        lines += trigram_lines()
    print(f"tickets: {total}; table with indexes {table}; GIN index on the words {gin}; runs per line: {args.runs}")
    print(f"{'what':66} {'median ms':>10} {'p95 ms':>8}")
    for name, fn in lines:
        median, p95 = timed(fn, args.runs)
        print(f"{name:66} {median:10.2f} {p95:8.2f}", flush=True)


if __name__ == "__main__":
    main()
