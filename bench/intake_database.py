"""PostgreSQL's share of a complete intake: the server process's CPU and the WAL it writes per ticket, beside the
same rows written by raw SQL, on the same connection and server.

Run on the durable benchmark PostgreSQL, on this machine (the server process's CPU is read from /proc):
    eval "$(scripts/bench-database.sh start DIR PORT)"
    .venv/bin/python bench/intake_database.py
    .venv/bin/python bench/intake_database.py --repo /path/to/an/older/checkout   # the same, older code

It migrates, loads the demo city if missing and, in turn, round by round (``--rounds`` of ``--intakes`` tickets
each), calls ``ticket_receive_dispatch`` (the console's complete intake: caller, ticket, routing, dispatch, three
clocks, events, outbox row) in a loop in this process, no HTTP, and writes the same rows for as many tickets with
bench/intake.py's raw SQL (the day's number, caller, ticket, dispatch, clocks, events, outbox; one transaction per
ticket). For each it prints, over the rounds, the median and p95 of the server process's CPU per ticket
(``/proc/<pid>/stat`` of ``pg_backend_pid()``, user + system) and of the WAL per ticket
(``pg_current_wal_insert_lsn()`` before and after). The WAL is the steadier figure, though the first write to a page
after a checkpoint logs the whole page (hence the two in turn); CPU follows this machine's speed, which varies by
half within an hour. To compare code, alternate ``--repo`` runs of two checkouts on two databases of one server.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

from intake import content, raw_ticket, routed_pairs  # bench/intake.py (importing it works from ROOT)

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repo", default=str(ROOT), help="the checkout whose code to measure")
    parser.add_argument("--intakes", type=int, default=200, help="tickets per round")
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args()
    sys.path.insert(0, args.repo)
    os.chdir(args.repo)  # Celery's Django fix-up puts the current directory first on the path at django.setup()
    os.environ["DJANGO_SETTINGS_MODULE"] = "hotline.settings"
    os.environ.setdefault("HOTLINE_ENV", "development")
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        raise SystemExit("DATABASE_URL: the benchmark PostgreSQL (see the docstring)")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    from org.models import User
    from tickets import services
    from tickets.numbering import ticket_sequences_ensure

    call_command("migrate", verbosity=0)
    if not User.objects.filter(username="operator").exists():
        call_command("seed_demo", "--without-tickets", verbosity=0)
    from django.utils import timezone

    ticket_sequences_ensure(timezone.localdate())
    operator = User.objects.get(username="operator")
    pairs = routed_pairs()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid(), to_char(now() AT TIME ZONE 'Asia/Shanghai', 'YYYYMMDD')")
        pid, day = cursor.fetchone()
    ticks_per_second = os.sysconf("SC_CLK_TCK")

    def server_cpu() -> float:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / ticks_per_second

    def wal() -> int:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_wal_lsn_diff(pg_current_wal_insert_lsn(), '0/0')")
            return int(cursor.fetchone()[0])

    def intake(n: int) -> None:
        category, area, _lead = pairs[n % len(pairs)]
        services.ticket_receive_dispatch(
            actor=operator, channel="phone", kind="complaint", category_id=category, area_id=area,
            address=f"幸福路 {n % 300} 号", content=content(n), caller_name="王先生",
            caller_phone=f"139{n % 100:02d}{n % 1_000_000:06d}",
        )  # fmt: skip

    def raw(n: int) -> None:
        with transaction.atomic(), connection.cursor() as cursor:
            raw_ticket(cursor, day, pairs[n % len(pairs)], operator.pk, f"138{n % 100:02d}{n % 1_000_000:06d}", n)

    writers = {"complete intake (service)": intake, "raw SQL, the same rows": raw}
    start = int(time.time()) * 1000  # distinct phones and contents in every run
    for write in writers.values():
        for n in range(50):  # warm: imports, jieba's dictionary, the reference cache, the sequences' names
            write(start + n)
    cpu: dict[str, list[float]] = {name: [] for name in writers}
    wal_bytes: dict[str, list[float]] = {name: [] for name in writers}
    for round_ in range(args.rounds):  # the two in turn: a checkpoint's full-page images fall on both alike
        for index, (name, write) in enumerate(writers.items()):
            first = start + 1000 + (round_ * 2 + index) * args.intakes
            cpu_before, wal_before = server_cpu(), wal()
            for n in range(first, first + args.intakes):
                write(n)
            cpu[name].append((server_cpu() - cpu_before) / args.intakes * 1000)
            wal_bytes[name].append((wal() - wal_before) / args.intakes)
    for name in writers:
        print(
            f"{name:28} server CPU ms/ticket median {statistics.median(cpu[name]):.2f} p95 {p95(cpu[name]):.2f};"
            f" WAL bytes/ticket median {statistics.median(wal_bytes[name]):,.0f} p95 {p95(wal_bytes[name]):,.0f}"
            f"  ({args.rounds} rounds of {args.intakes}, {args.repo})"
        )


def p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[max(int(len(ordered) * 0.95 + 0.5) - 1, 0)]


if __name__ == "__main__":
    main()
