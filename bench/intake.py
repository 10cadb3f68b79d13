"""Intake through the API under gunicorn (2 workers) with 4 concurrent clients, beside the same rows in raw SQL.

Run on the durable benchmark PostgreSQL (fsync, synchronous_commit and full_page_writes on, as production):
    eval "$(scripts/bench-database.sh start DIR PORT)"
    .venv/bin/python bench/sweep.py --tickets 1000000     # optional: a history for realism (closed tickets)
    .venv/bin/python bench/intake.py --seconds 40

The script starts its own redis-server (a free port, REDIS_URL) and gunicorn with the repository's gunicorn.conf.py,
HOTLINE_ENV=production and 2 workers, and loads the demo city (``seed_demo --without-tickets``). Each of 4 client
processes signs in for an API token (django-rest-knox, ``Authorization: Token …``) and, on one connection (``Poster``),
sends the console's complete intake: ``--mode one`` is one POST /api/v1/tickets/ with ``"dispatch": true``, which
receives, routes by the routing table and dispatches to the lead department in one transaction, as the console's
form does; ``--mode two`` is the closest the API offered before, POST /api/v1/tickets/ then POST …/dispatch/ to the
department the routing table names. It prints tickets/s and each intake's median and p95, then checks in SQL that
every ticket it made has its lead department and dispatch, its three clocks (intake met, response and reply open),
its events and its outbox row. Then the same rows written by raw SQL (psycopg2, one transaction per ticket: the
number from the day's sequence, caller, ticket, dispatch, clocks, events, outbox) by 4 client processes.
``--floor`` first sends the same POST with an empty content, which the input check refuses with a 400 after the
token, the parsing and the validation: what the framework costs on this machine before any intake, its ceiling.
``--helpdesk`` then measures django-helpdesk's bare create through its API the same way (bench/helpdesk_intake.py:
its own venv, a database of its own on the same server, gunicorn with as many workers, 4 clients) and prints the
ratio of the complete intake to it, the issue's goal being 2.5×. ``--rounds N`` keeps both servers up and measures
them in turn N times (ours, then helpdesk's, each for --seconds), printing each round's ratio and their median: this
machine's speed changes within minutes, so one pair of runs minutes apart does not make a ratio.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import multiprocessing
import os
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
# Celery's Django fix-up puts the current directory first on the path at django.setup(): run from another checkout,
# this script's migrations and seeding would be that checkout's. Working from ROOT keeps them this checkout's.
os.chdir(ROOT)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hotline.settings")
# Not "test": its fast password hasher would seed passwords that the production server cannot check.
os.environ.setdefault("HOTLINE_ENV", "development")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost")

HOST = "hotline.example.gov.cn"
CLIENTS = 4
WORDS = list("小区楼道噪音油烟路灯不亮垃圾清运占道经营违章搭建漏水停车井盖破损施工扰民宠物粪便")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def percentiles(samples: list[float]) -> tuple[float, float]:
    samples = sorted(samples)
    return statistics.median(samples), samples[max(int(len(samples) * 0.95) - 1, 0)]


def content(rng: int) -> str:
    return "市民反映" + "".join(WORDS[(rng * 7 + k * 13) % len(WORDS)] for k in range(8)) + f"，请尽快处理（{rng}）"


class Poster:
    """A client's POSTs of JSON on one HTTP/1.1 connection of the standard library, reopened when the server closes it
    (gunicorn's sync workers close every connection). The clients share the server's two cores: a requests session
    cost its client 0.82 ms of CPU a request, this 0.16 ms (3 December 2026, the same POST to a server that answers
    at once). bench/helpdesk_intake.py posts with it too, so both systems are measured with the same clients."""

    def __init__(self, base: str, headers: dict[str, str]) -> None:
        parts = urlsplit(base)
        self.connection = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=60)
        self.headers = {"Content-Type": "application/json", **headers}

    def post(self, path: str, body: dict[str, Any]) -> tuple[int, bytes]:
        """The answer's status and body; a broken connection is closed, to be opened again by the next request."""
        try:
            self.connection.request("POST", path, body=json.dumps(body).encode(), headers=self.headers)
            response = self.connection.getresponse()
            return response.status, response.read()
        except (OSError, http.client.HTTPException):
            self.connection.close()
            raise


def api_client(
    index: int, base: str, token: str, mode: str, minimal: bool, seconds: float, pairs: list, out: multiprocessing.Queue
) -> None:
    poster = Poster(
        base,
        {
            "Authorization": f"Token {token}",
            "Host": HOST,
            "X-Forwarded-Proto": "https",
            **({"Prefer": "return=minimal"} if minimal else {}),
        },
    )
    latencies, numbers, errors = [], [], []
    deadline = time.perf_counter() + seconds
    n = 0
    while time.perf_counter() < deadline:
        category, area, lead = pairs[(index + n * CLIENTS) % len(pairs)]
        body = {
            "channel": "phone",
            "kind": "complaint",
            "category": category,
            "area": area,
            "address": f"幸福路 {n % 300} 号",
            "content": content(index * 1_000_000 + n),
            "caller": {"name": "王先生", "phone": f"139{index:02d}{n % 1_000_000:06d}"},
        }
        if mode == "one":
            body["dispatch"] = True
        if mode == "floor":
            body["content"] = ""  # refused by the input serializer: signed in, parsed, checked, answered 400
        started = time.perf_counter()
        status, answer = poster.post("/api/v1/tickets/", body)
        if mode == "floor" and status == 400:
            latencies.append((time.perf_counter() - started) * 1000)
            n += 1
            continue
        if status != 201:
            errors.append(f"{status} {answer[:300].decode(errors='replace')}")
            n += 1
            continue
        number = json.loads(answer)["number"]
        if mode == "two":
            status, answer = poster.post(f"/api/v1/tickets/{number}/dispatch/", {"department": lead})
            if status != 200:
                errors.append(f"{status} {answer[:300].decode(errors='replace')}")
                n += 1
                continue
        latencies.append((time.perf_counter() - started) * 1000)
        numbers.append(number)
        n += 1
    out.put((latencies, numbers, errors[:5], len(errors)))


RAW = {
    "caller": "INSERT INTO tickets_caller (name, phone) VALUES (%s, %s) RETURNING id",
    "ticket": """
        INSERT INTO tickets_ticket (number, status, channel, kind, urgency, category_id, area_id, address, content,
            confidential, anonymous, caller_id, received_by_id, taken_by_id, lead_department_id, created_at,
            updated_at, media_url, tracking_code_hash, owner_queue, owner_department_id, owner_due_at, owner_since,
            search_vector)
        VALUES (%(number)s, 'dispatched', 'phone', 'complaint', 'normal', %(category)s, %(area)s, %(address)s,
            %(content)s, false, false, %(caller)s, %(user)s, %(user)s, %(lead)s, now(), now(), '', '', 'sign',
            %(lead)s, now() + interval '1 day', now(), to_tsvector('simple', %(content)s))
        RETURNING id""",
    "dispatch": """
        INSERT INTO tickets_dispatch (ticket_id, department_id, role, active, dispatched_at, dispatched_by_id,
            return_state, return_reason, reply_text)
        VALUES (%s, %s, 'lead', true, now(), %s, '', '', '')""",
    "clocks": """
        INSERT INTO tickets_deadline (ticket_id, department_id, kind, state, started_at, due_at, warn_at, provisional,
            met_at, cause, working_days, extra_working_days)
        VALUES (%(id)s, NULL, 'intake', 'met', now(), now() + interval '1 day', now() + interval '19 hours', false,
                now(), '', 1, 0),
               (%(id)s, %(lead)s, 'response', 'open', now(), now() + interval '1 day', now() + interval '19 hours',
                false, NULL, '', 1, 0),
               (%(id)s, %(lead)s, 'reply', 'open', now(), now() + interval '7 days', now() + interval '5 days',
                false, NULL, '', 5, 0)""",
    "events": """
        INSERT INTO tickets_ticketevent (ticket_id, actor_id, verb, from_status, to_status, note, payload, at)
        VALUES (%(id)s, %(user)s, 'receive', 'received', 'received', '', '{"channel": "phone"}', now()),
               (%(id)s, %(user)s, 'dispatch', 'received', 'dispatched', '', %(payload)s, now()),
               (%(id)s, NULL, 'intake_met', 'dispatched', 'dispatched', '', '{}', now())""",
    "outbox": """
        INSERT INTO tickets_outbox (kind, key, ticket_id, department_id, text, heads_only, created_at)
        VALUES ('new_ticket', %s, %s, %s, %s, false, now())""",
}


def raw_ticket(cursor: Any, day: str, pair: tuple, user: int, phone: str, n: int) -> str:
    """One complete intake's rows by raw SQL on ``cursor`` (the caller commits): the day's number, caller, ticket,
    lead dispatch, three clocks, three events, outbox row. ``pair``: (category, area, lead). Returns the number."""
    category, area, lead = pair
    cursor.execute(f"SELECT nextval('ticket_number_{day}')")
    number = f"{day}{cursor.fetchone()[0]:06d}"
    cursor.execute(RAW["caller"], ["王先生", phone])
    row = {
        "number": number, "category": category, "area": area, "address": f"幸福路 {n % 300} 号",
        "content": content(n), "caller": cursor.fetchone()[0], "user": user, "lead": lead,
    }  # fmt: skip
    cursor.execute(RAW["ticket"], row)
    ticket = cursor.fetchone()[0]
    cursor.execute(RAW["dispatch"], [ticket, lead, user])
    cursor.execute(RAW["clocks"], {"id": ticket, "lead": lead})
    payload = json.dumps({"department": lead, "co_departments": []})
    cursor.execute(RAW["events"], {"id": ticket, "user": user, "payload": payload})
    cursor.execute(RAW["outbox"], [f"raw:{ticket}", ticket, lead, f"新工单 {number}"])
    return number


def routed_pairs() -> list[tuple[int, int | None, int]]:
    """(category, area, lead) of every leaf category and area (or none) the routing table routes (Django set up)."""
    from tickets.console import route_for
    from tickets.models import Category

    return [
        (category.pk, area, rule.lead_id)
        for category in Category.objects.filter(depth=2, is_active=True).order_by("pk")
        for area in [None, *range(1, 14)]
        if (rule := route_for(category.pk, area)) is not None
    ]


def raw_client(index: int, dsn: str, seconds: float, pairs: list, user: int, out: multiprocessing.Queue) -> None:
    import psycopg2

    connection = psycopg2.connect(dsn)
    cursor = connection.cursor()
    cursor.execute("SELECT to_char(now() AT TIME ZONE 'Asia/Shanghai', 'YYYYMMDD')")
    day = cursor.fetchone()[0]
    connection.commit()
    latencies, numbers = [], []
    deadline = time.perf_counter() + seconds
    n = 0
    while time.perf_counter() < deadline:
        pair = pairs[(index + n * CLIENTS) % len(pairs)]
        started = time.perf_counter()
        number = raw_ticket(cursor, day, pair, user, f"139{index:02d}{n % 1_000_000:06d}", index * 1_000_000 + n)
        connection.commit()
        latencies.append((time.perf_counter() - started) * 1000)
        numbers.append(number)
        n += 1
    out.put((latencies, numbers, [], 0))


def clients(target: Any, per_client: list[tuple]) -> tuple[list[float], list[Any], list[str], int, float]:
    out: multiprocessing.Queue = multiprocessing.Queue()
    processes = [multiprocessing.Process(target=target, args=(*args, out)) for args in per_client]
    started = time.perf_counter()
    for process in processes:
        process.start()
    results = [out.get() for _ in processes]
    elapsed = time.perf_counter() - started
    for process in processes:
        process.join()
    latencies = [x for r in results for x in r[0]]
    numbers = [x for r in results for x in r[1]]
    errors = [x for r in results for x in r[2]]
    return latencies, numbers, errors, sum(r[3] for r in results), elapsed


def check(numbers: list[str]) -> str:
    """Every ticket made: its lead department and lead dispatch, its three clocks, its events and its outbox row."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT count(*),
                   count(*) FILTER (WHERE t.lead_department_id IS NOT NULL AND t.status = 'dispatched'),
                   count(*) FILTER (WHERE EXISTS (SELECT 1 FROM tickets_dispatch d WHERE d.ticket_id = t.id
                                    AND d.role = 'lead' AND d.active AND d.department_id = t.lead_department_id)),
                   count(*) FILTER (WHERE (SELECT count(*) FROM tickets_deadline c WHERE c.ticket_id = t.id AND (
                                      (c.kind = 'intake' AND c.state = 'met')
                                   OR (c.kind IN ('response', 'reply') AND c.state = 'open'
                                       AND c.department_id = t.lead_department_id))) = 3),
                   count(*) FILTER (WHERE (SELECT array_agg(e.verb ORDER BY e.verb) FROM tickets_ticketevent e
                                    WHERE e.ticket_id = t.id) = ARRAY['dispatch', 'intake_met', 'receive']::varchar[]),
                   count(*) FILTER (WHERE (SELECT count(*) FROM tickets_outbox o WHERE o.ticket_id = t.id
                                    AND o.kind = 'new_ticket' AND o.department_id = t.lead_department_id) = 1),
                   count(*) FILTER (WHERE t.owner_queue = 'sign' AND t.owner_department_id = t.lead_department_id)
            FROM tickets_ticket t WHERE t.number = ANY(%s)
            """,
            [numbers],
        )
        total, routed, dispatched, clocks, events, outbox, owner = cursor.fetchone()
    return (
        f"check in SQL: {total} of {len(numbers)} tickets found; {routed} dispatched with a lead department,"
        f" {dispatched} with its lead dispatch, {clocks} with intake met + response and reply open,"
        f" {events} with events receive/dispatch/intake_met, {outbox} with one new-ticket outbox row,"
        f" {owner} in the lead's 待签收 queue"
    )


def line(name: str, count: int, elapsed: float, latencies: list[float]) -> str:
    median, p95 = percentiles(latencies) if latencies else (0.0, 0.0)
    load = os.getloadavg()[0]
    return f"{name:88} {count / elapsed:9.1f} {median:9.1f} {p95:9.1f}  {load:5.2f}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=40)
    parser.add_argument("--mode", choices=("one", "two"), default="one")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--no-raw", action="store_true")
    parser.add_argument("--full-only", action="store_true", help="only the answer with the ticket's record")
    parser.add_argument("--minimal-only", action="store_true", help="only the answer with the number")
    parser.add_argument("--floor", action="store_true", help="first, the same POST refused before the service")
    parser.add_argument(
        "--threads", type=int, default=0, help="gunicorn --threads per worker (gthread); 0: as configured"
    )
    parser.add_argument(
        "--helpdesk", action="store_true", help="then django-helpdesk's bare create, the same way (helpdesk_intake.py)"
    )
    parser.add_argument(
        "--rounds", type=int, default=1, help="measure the intake (and with --helpdesk, helpdesk's create) in turn"
        " this many times, both servers up: the machine's speed changes within minutes, a ratio of one pair does not"
    )  # fmt: skip
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from org.models import User
    from tickets.numbering import ticket_sequences_ensure

    call_command("migrate", verbosity=0)
    call_command("seed_demo", "--without-tickets", verbosity=0)
    from django.utils import timezone

    ticket_sequences_ensure(timezone.localdate())
    pairs = routed_pairs()
    operator = User.objects.get(username="operator")
    password = secrets.token_urlsafe(16)  # production refuses the published demo password
    operator.set_password(password)
    operator.save(update_fields=["password"])
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*), count(*) FILTER (WHERE status <> 'closed') FROM tickets_ticket")
        total, open_ = cursor.fetchone()
        cursor.execute(
            "SELECT string_agg(name || '=' || setting, ' ' ORDER BY name) FROM pg_settings"
            " WHERE name IN ('fsync', 'synchronous_commit', 'full_page_writes')"
        )
        durability = cursor.fetchone()[0]
    connection.close()

    tmp = Path(tempfile.mkdtemp(prefix="bench-intake-"))
    redis_port, web_port = free_port(), free_port()
    redis = subprocess.Popen(
        ["redis-server", "--bind", "127.0.0.1", "--port", str(redis_port), "--save", "", "--appendonly", "no",
         "--dir", str(tmp)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    env = {
        **os.environ,
        "HOTLINE_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(60),
        "ALLOWED_HOSTS": HOST,
        "SMS_BACKEND": "hotline.sms.ConsoleBackend",
        "REPORTS_SIGNING_KEY": secrets.token_urlsafe(40),
        "REDIS_URL": f"redis://127.0.0.1:{redis_port}/0",
        "WEB_CONCURRENCY": str(args.workers),
        "PORT": str(web_port),
        "HOTLINE_VAR_DIR": str(tmp),
        **({"GUNICORN_CMD_ARGS": f"--threads {args.threads}"} if args.threads else {}),
    }
    numbers: list[str] = []
    rates: dict[bool, list[float]] = {}
    helpdesk_runs: list[Any] = []
    with contextlib.ExitStack() as stack:
        stack.callback(redis.wait, 10)
        stack.callback(redis.terminate)
        served = None
        if args.helpdesk:  # the closest Django peer on the same server and database server, in turn with ours
            from helpdesk_intake import Served

            served = stack.enter_context(
                Served(os.environ["DATABASE_URL"], workers=args.workers, threads=args.threads)
            )  # with --threads, both servers get as many
        log = stack.enter_context(open(tmp / "gunicorn.log", "w"))
        gunicorn = subprocess.Popen(
            [str(Path(sys.executable).with_name("gunicorn")), "hotline.wsgi"], cwd=ROOT, env=env, stdout=log,
            stderr=log,
        )  # fmt: skip
        stack.callback(gunicorn.wait, 30)
        stack.callback(gunicorn.terminate)
        base = f"http://127.0.0.1:{web_port}"
        import requests

        for _ in range(300):
            try:
                if requests.get(f"{base}/healthz", headers={"Host": HOST, "X-Forwarded-Proto": "https"}).ok:
                    break
            except requests.ConnectionError:
                pass
            time.sleep(0.1)
        else:
            raise SystemExit(f"gunicorn did not answer: {(tmp / 'gunicorn.log').read_text()[-2000:]}")
        tokens = []
        for _ in range(CLIENTS):
            response = requests.post(
                f"{base}/api/v1/auth/token/",
                json={"username": "operator", "password": password},
                headers={"Host": HOST, "X-Forwarded-Proto": "https"},
            )
            if not response.ok:
                raise SystemExit(f"no token: {response.status_code} {response.text[:500]}")
            tokens.append(response.json()["token"])
        # Warm each worker (imports, connections, jieba's dictionary) before the clock starts.
        clients(api_client, [(i, base, tokens[i], args.mode, False, 3.0, pairs) for i in range(CLIENTS)])
        print(
            f"tickets before: {total} ({open_} open); gunicorn {args.workers} workers, {CLIENTS} clients,"
            f" {args.seconds:.0f} s each; {durability}; {len(pairs)} category/area pairs routed"
        )
        print(f"{'what':88} {'tickets/s':>9} {'median ms':>9} {'p95 ms':>9}  load")
        what = (
            "API: one POST receives, routes, dispatches" if args.mode == "one" else "API: POST ticket + POST dispatch"
        )
        answers = [False] if args.mode == "two" or args.full_only else [True] if args.minimal_only else [False, True]
        if args.floor:  # what the framework costs before any intake: the ceiling this server could reach
            floor_args = [(i, base, tokens[i], "floor", True, args.seconds, pairs) for i in range(CLIENTS)]
            latencies, _made, errors, failed, elapsed = clients(api_client, floor_args)
            print(line("API floor: the same POST refused by its input check (token, parse, 400)", len(latencies),
                       elapsed, latencies))  # fmt: skip
            if failed:
                print(f"  {failed} unexpected answers, e.g. {errors}")
        for round_ in range(1, args.rounds + 1):
            if args.rounds > 1:
                print(f"round {round_} of {args.rounds}")
            for minimal in answers:
                api_args = [(i, base, tokens[i], args.mode, minimal, args.seconds, pairs) for i in range(CLIENTS)]
                latencies, made, errors, failed, elapsed = clients(api_client, api_args)
                answer = ", answers the number (Prefer: return=minimal)" if minimal else ", answers the ticket's record"
                print(line(what + ("" if args.mode == "two" else answer), len(made), elapsed, latencies))
                rates.setdefault(minimal, []).append(len(made) / elapsed)
                if failed:
                    print(f"  {failed} failed requests, e.g. {errors}")
                numbers += made
            if served is not None:
                helpdesk = served.measure(args.seconds)
                helpdesk_runs.append(helpdesk)
                print(line(f"  {helpdesk.context.split(';')[0]}: POST /api/tickets/ (bare create)", helpdesk.count,
                           helpdesk.elapsed, helpdesk.latencies))  # fmt: skip
                print(f"  {helpdesk.check}")
                if not helpdesk.check_ok:
                    raise SystemExit(1)
    print(check(numbers))
    for minimal, runs in rates.items() if helpdesk_runs else ():
        ratios = [rate / run.rate for rate, run in zip(runs, helpdesk_runs, strict=True)]
        print(
            f"  complete intake ({'number' if minimal else 'record'} answered) ÷ helpdesk's bare create, each round:"
            f" {', '.join(f'{r:.2f}×' for r in ratios)}; median {statistics.median(ratios):.2f}× (goal 2.5×)"
        )
    if not args.no_raw:
        dsn = settings.DATABASES["default"]
        dsn_text = f"host={dsn['HOST']} port={dsn['PORT']} dbname={dsn['NAME']} user={dsn['USER']}" + (
            f" password={dsn['PASSWORD']}" if dsn.get("PASSWORD") else ""
        )
        raw_args = [(i, dsn_text, args.seconds, pairs, operator.pk) for i in range(CLIENTS)]
        latencies, raw_numbers, _errors, _failed, elapsed = clients(raw_client, raw_args)
        print(line("  raw SQL: the same rows, one transaction per ticket", len(raw_numbers), elapsed, latencies))
        print("  " + check(raw_numbers))
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
