"""A ticket's page (GET /tickets/<number>/, the whole record) at 1 to 10 million tickets, server time.

Run: bash scripts/with-test-services.sh .venv/bin/python bench/ticket_page.py [--tickets 1000000]
or, at 10 million on a durable database: eval "$(scripts/bench-database.sh start)"; .venv/bin/python
bench/ticket_page.py --tickets 10000000

Loads with the generator of bench/workbench_queue.py (a database already holding N tickets is reused as it is), picks
tickets spread evenly over the whole history (open and closed, of the handler's department), and times each run on the
next one of them, so a page is rarely read twice in a row:
- GET /tickets/<number>/ as the supervisor (the centre's view) and as the handler of the lead department;
- beside them, one raw SQL statement that reads the same record: the ticket with its caller, and its dispatches,
  clocks, events, reply versions and survey rounds as JSON arrays.
A ticket the loader gave no lead dispatch (the plain loader writes owner columns, not dispatch rows) gets one here, so
the department may open it; the script says how many it added.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
# isort: off
from workbench_queue import load, timed  # sets up Django first
from django.db import connection, reset_queries
from django.test import Client
from django.test.utils import CaptureQueriesContext
# isort: on

SAMPLE = 60

RECORD = """
SELECT t.*, c.name, c.phone,
  (SELECT coalesce(json_agg(d ORDER BY d.id), '[]') FROM tickets_dispatch d WHERE d.ticket_id = t.id),
  (SELECT coalesce(json_agg(k ORDER BY k.id), '[]') FROM tickets_deadline k WHERE k.ticket_id = t.id),
  (SELECT coalesce(json_agg(e ORDER BY e.at, e.id), '[]') FROM tickets_ticketevent e WHERE e.ticket_id = t.id),
  (SELECT coalesce(json_agg(r ORDER BY r.id), '[]') FROM tickets_reply r WHERE r.ticket_id = t.id),
  (SELECT coalesce(json_agg(s ORDER BY s.id), '[]') FROM reviews_surveyround s WHERE s.ticket_id = t.id)
FROM tickets_ticket t LEFT JOIN tickets_caller c ON c.id = t.caller_id
WHERE t.number = %s
"""


def sample(department: int) -> list[str]:
    """SAMPLE tickets of ``department`` spread evenly over the ids, half open and half closed."""
    numbers: list[str] = []
    with connection.cursor() as cursor:
        cursor.execute("SELECT min(id), max(id) FROM tickets_ticket")
        low, high = cursor.fetchone()
        step = max(1, (high - low) // SAMPLE)
        for i in range(SAMPLE):
            closed = i % 2 == 0
            cursor.execute(
                "SELECT number FROM tickets_ticket WHERE id >= %s AND lead_department_id = %s"
                " AND (status = 'closed') = %s ORDER BY id LIMIT 1",
                [low + i * step, department, closed],
            )
            row = cursor.fetchone()
            if row:
                numbers.append(row[0])
        cursor.execute(
            "INSERT INTO tickets_dispatch (ticket_id, department_id, role, active, dispatched_by_id, dispatched_at,"
            " return_state, return_reason, reply_text)"
            " SELECT t.id, t.lead_department_id, 'lead', t.status <> 'closed',"
            " (SELECT id FROM org_user WHERE username = 'operator'), t.created_at, '', '', ''"
            " FROM tickets_ticket t WHERE t.number = ANY(%s)"
            " AND NOT EXISTS (SELECT 1 FROM tickets_dispatch d WHERE d.ticket_id = t.id)",
            [numbers],
        )
        if cursor.rowcount:
            print(f"gave {cursor.rowcount} sampled tickets their lead dispatch (the loader writes none)")
    return numbers


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=SAMPLE)
    args = parser.parse_args()
    load(args.tickets)
    from org.models import User

    handler = User.objects.get(username="handler")
    assert handler.department_id is not None
    numbers = sample(handler.department_id)
    clients = {}
    for name in ("supervisor", "handler"):
        clients[name] = Client()
        clients[name].force_login(User.objects.get(username=name))

    def cycling(fn):
        state = {"i": 0}

        def run() -> None:
            fn(numbers[state["i"] % len(numbers)])
            state["i"] += 1

        return run

    def page(name: str):
        def get(number: str) -> None:
            response = clients[name].get(f"/tickets/{number}/")
            assert response.status_code == 200, (name, number, response.status_code)

        return get

    def raw(number: str) -> None:
        with connection.cursor() as cursor:
            cursor.execute(RECORD, [number])
            assert cursor.fetchone() is not None

    reset_queries()
    with CaptureQueriesContext(connection) as queries:
        page("handler")(numbers[0])
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM tickets_ticket")
        total = cursor.fetchone()[0]
        cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
        size = cursor.fetchone()[0]
    print(
        f"tickets: {total} ({size}); {len(numbers)} sampled tickets of the handler's department, open and closed, "
        f"spread over the history; the handler's page reads {len(queries)} queries; runs per line: {args.runs}"
    )
    print(f"{'what':62} {'median ms':>10} {'p95 ms':>8}")
    for name, fn in (
        ("GET /tickets/<number>/ as the supervisor", cycling(page("supervisor"))),
        ("GET /tickets/<number>/ as the lead department's handler", cycling(page("handler"))),
        ("  raw SQL: the record in one statement (see RECORD)", cycling(raw)),
    ):
        median, p95 = timed(fn, args.runs)
        print(f"{name:62} {median:10.2f} {p95:8.2f}")


if __name__ == "__main__":
    main()
