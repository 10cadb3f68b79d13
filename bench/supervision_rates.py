"""Supervisors' figures at scale: every department's seven statutory rates for a month from the rows, and the dashboard.

Run: bash scripts/with-test-services.sh .venv/bin/python bench/supervision_rates.py [--tickets 1000000] [--explain]
(Named supervision_rates.py, not supervision.py: a script of that name would shadow the ``supervision`` app.)

Uses the loader of bench/workbench_queue.py (N tickets received evenly up to now, --per-day a day: by default one a
minute, so a month holds ~44,600 tickets, where a 10,000-a-day centre has ~300,000; 10% open, each with a response and
a reply clock), then gives every closed ticket a survey clock and an answered survey round (one in ten rated bad, with
a rectification); or with --generator the realistic centre of bench/generate.py (--per-day 5,000 by default, 2% open,
its own surveys, rectifications and appeals). Then times, server time:
- rates_by_department + subtree_sum: every department's seven rates for one month (--month, default the middle one) as
  of 40 days after it, from the rows (five grouped queries, each a range of one covering index), beside the same
  figures in one raw SQL statement;
- GET /api/v1/stats/rates/ for the whole city and GET /supervision/ (the overdue dashboard, read from the open-clock
  counts that the triggers on tickets_deadline keep, tickets/clock_counts.py) with its counting statement alone, beside
  the same red and yellow counts aggregated over every lit clock in raw SQL; the counts are first folded by
  deadline_counts_compact, as beat does every minute (the generator's load arrives as pending changes);
- GET /supervision/rankings/ and rollup_month (now only a cache of the same queries).
--explain prints each rates query's plan (EXPLAIN ANALYZE, BUFFERS).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
# isort: off
from workbench_queue import load, timed  # sets up Django first
from django.db import connection
from django.test import Client
# isort: on

SURVEYS = """
WITH clocks AS (
  INSERT INTO tickets_deadline (ticket_id, department_id, rated_department_id, kind, state, started_at, due_at,
      warn_at, provisional, met_at, cause, working_days, extra_working_days)
  SELECT t.id, NULL, t.lead_department_id, 'survey', 'met', t.created_at + interval '2 days',
         t.created_at + interval '4 days',
         t.created_at + interval '3 days', false,
         t.created_at + (CASE WHEN t.id % 25 = 0 THEN interval '5 days' ELSE interval '3 days' END), '', 2, 0
  FROM tickets_ticket t WHERE t.status = 'closed'
  RETURNING id, ticket_id, met_at
)
INSERT INTO reviews_surveyround (ticket_id, number, department_id, state, opened_at, deadline_id, channel, rating,
    solved, comment, answered_at, evaluator_phone, token_hash, untrue, anonymous)
SELECT c.ticket_id, 1, t.lead_department_id, 'answered', t.created_at + interval '2 days', c.id, 'phone',
       CASE WHEN c.ticket_id % 10 = 1 THEN 1 + c.ticket_id % 2 ELSE 3 + c.ticket_id % 3 END,
       c.ticket_id % 7 <> 0, '', c.met_at, '', '', false, t.anonymous
FROM clocks c JOIN tickets_ticket t ON t.id = c.ticket_id
"""
RECTIFICATIONS = """
INSERT INTO reviews_rectification (ticket_id, round_id, department_id, state, opened_at, verified_at,
    verification_note, report_type, report_text, reported_at, report_due_at, informed_note)
SELECT r.ticket_id, r.id, r.department_id, 'done', r.answered_at, r.answered_at + interval '1 day', '',
       'immediate', '', r.answered_at + (CASE WHEN r.id % 4 = 0 THEN interval '9 days' ELSE interval '2 days' END),
       r.answered_at + interval '7 days', ''
FROM reviews_surveyround r WHERE r.rating <= 2
"""
# The copy of the verification call's time on the bad review (reviews/services/rectification.py writes it).
VERIFIED = """
UPDATE reviews_surveyround r SET verified_at = x.verified_at FROM reviews_rectification x WHERE x.round_id = r.id
"""
# The copies the rates read agree with what they copy (the services write them; migration reviews 0011 back-fills).
COPIES = """
SELECT (SELECT count(*) FROM tickets_deadline d JOIN reviews_surveyround r ON r.deadline_id = d.id
         WHERE d.rated_department_id IS DISTINCT FROM r.department_id OR d.untrue_at IS DISTINCT FROM r.untrue_at)
     + (SELECT count(*) FROM tickets_deadline d WHERE d.kind = 'survey'
         AND NOT EXISTS (SELECT 1 FROM reviews_surveyround r WHERE r.deadline_id = d.id))
     + (SELECT count(*) FROM reviews_rectification x JOIN reviews_surveyround r ON r.id = x.round_id
         WHERE x.untrue_at IS DISTINCT FROM r.untrue_at OR x.verified_at IS DISTINCT FROM r.verified_at)
     + (SELECT count(*) FROM reviews_surveyround r JOIN tickets_ticket t ON t.id = r.ticket_id
         WHERE r.anonymous <> t.anonymous)
"""

# The same figures as rates_by_department, in one statement: one grouped scan per rate, side by side.
RAW_RATES = """
WITH clocks AS (
  SELECT kind, department_id, count(*) FILTER (WHERE met_at <= due_at) AS good, count(*) AS total
  FROM tickets_deadline
  WHERE kind IN ('response', 'reply') AND due_at >= %(since)s AND due_at < %(until)s AND due_at <= %(as_of)s
    AND paused_at IS NULL AND (ended_at IS NULL OR ended_at > %(as_of)s)
    AND (superseded_at IS NULL OR superseded_at > %(as_of)s)
  GROUP BY kind, department_id
), surveyed AS (
  SELECT rated_department_id AS department_id, count(DISTINCT ticket_id) AS total,
         count(DISTINCT ticket_id) FILTER (WHERE NOT coalesce(met_at <= %(as_of)s, false)) AS missed
  FROM tickets_deadline
  WHERE kind = 'survey' AND due_at >= %(since)s AND due_at < %(until)s AND due_at <= %(as_of)s
    AND (untrue_at IS NULL OR untrue_at > %(as_of)s) AND (superseded_at IS NULL OR superseded_at > %(as_of)s)
  GROUP BY rated_department_id
), answers AS (
  SELECT department_id, count(*) FILTER (WHERE rating >= 3) AS satisfied, count(*) FILTER (WHERE solved) AS solved,
         count(*) AS total
  FROM reviews_surveyround
  WHERE state = 'answered' AND answered_at >= %(since)s AND answered_at < %(until)s AND answered_at <= %(as_of)s
    AND (untrue_at IS NULL OR untrue_at > %(as_of)s)
  GROUP BY department_id
), callbacks AS (
  SELECT department_id, count(*) FILTER (WHERE verified_at <= %(as_of)s) AS good, count(*) AS total
  FROM reviews_surveyround
  WHERE state = 'answered' AND rating <= 2 AND NOT anonymous AND answered_at >= %(since)s
    AND answered_at < %(until)s AND answered_at <= %(as_of)s AND (untrue_at IS NULL OR untrue_at > %(as_of)s)
  GROUP BY department_id
), rectified AS (
  SELECT department_id, count(*) FILTER (WHERE reported_at <= report_due_at AND report_type <> '') AS good,
         count(*) AS total
  FROM reviews_rectification
  WHERE report_due_at >= %(since)s AND report_due_at < %(until)s AND report_due_at <= %(as_of)s
    AND (untrue_at IS NULL OR untrue_at > %(as_of)s)
  GROUP BY department_id
)
SELECT 'clock:' || kind, department_id, good, total FROM clocks
UNION ALL SELECT 'survey_rate', department_id, total - missed, total FROM surveyed
UNION ALL SELECT 'satisfaction', department_id, satisfied, total FROM answers
UNION ALL SELECT 'resolution', department_id, solved, total FROM answers
UNION ALL SELECT 'callback', department_id, good, total FROM callbacks
UNION ALL SELECT 'rectification', department_id, good, total FROM rectified
"""


def load_surveys() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM reviews_surveyround")
        if cursor.fetchone()[0]:
            return
        started = time.perf_counter()
        cursor.execute(SURVEYS)
        cursor.execute(RECTIFICATIONS)
        cursor.execute(VERIFIED)
        cursor.execute("VACUUM ANALYZE")
        cursor.execute("SELECT (SELECT count(*) FROM reviews_surveyround), (SELECT count(*) FROM tickets_deadline)")
        rounds, clocks = cursor.fetchone()
    print(f"loaded {rounds} survey rounds (clocks now {clocks}) in {time.perf_counter() - started:.0f} s")


def raw(sql: str, params: dict | list | None = None) -> Callable[[], object]:
    def run() -> object:
        with connection.cursor() as cursor:
            cursor.execute(sql, params or [])
            return cursor.fetchall()

    return run


def fold_counts() -> None:
    """Fold the changes the generator's load wrote (beat does it every minute), and say what the dashboard reads."""
    from tickets.clock_counts import deadline_counts_compact

    started = time.perf_counter()
    folded = deadline_counts_compact(batch=100_000)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*), count(*) FILTER (WHERE merged) FROM tickets_deadlinecount")
        cells, merged = cursor.fetchone()
    print(
        f"folded {folded} pending count changes in {time.perf_counter() - started:.1f} s: "
        f"{cells} count cells ({merged} of merged old days)"
    )


def same_lights(now: datetime) -> None:
    """The dashboard's city totals from the counts equal the raw aggregate over the lit clocks at the same instant."""
    from supervision.dashboard import dashboard

    board = dashboard(now)
    red = sum(c.red for c in board.by_group.values())
    yellow = sum(c.yellow for c in board.by_group.values())
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FILTER (WHERE due_at <= %s), count(*) FILTER (WHERE due_at > %s)"
            " FROM tickets_deadline WHERE state = 'open' AND warn_at <= %s",
            [now, now, now],
        )
        assert cursor.fetchone() == (red, yellow), (red, yellow)
    print(f"the city's lights, the same from the counts and from the raw aggregate: {red} red, {yellow} yellow")


def explain_rates(start: date, end: date, as_of: datetime) -> None:
    from django.test.utils import CaptureQueriesContext

    from supervision.rates import rates_by_department

    with CaptureQueriesContext(connection) as queries:
        rates_by_department(start=start, end=end, as_of=as_of)
    for query in queries.captured_queries:
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + query["sql"])
            plan = "\n".join(row[0] for row in cursor.fetchall())
        print(f"--- {query['sql'][:160]}…\n{plan}\n")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--explain", action="store_true", help="print the plan of each rates query")
    parser.add_argument(
        "--per-day",
        type=int,
        default=None,
        help="tickets received a day (default 1440: one a minute, ~44,600 a month; a 10,000-a-day centre has ~300,000;"
        " with --generator 5,000)",
    )
    parser.add_argument("--generator", action="store_true", help="load the realistic centre of bench/generate.py")
    parser.add_argument("--month", help="YYYY-MM to measure (default: the middle month of the history)")
    args = parser.parse_args()
    if args.generator:
        from generate import DEFAULT_PER_DAY, generate

        args.per_day = args.per_day or DEFAULT_PER_DAY
        generate(args.tickets, per_day=args.per_day)
    else:
        args.per_day = args.per_day or 1440
        load(args.tickets, per_day=args.per_day)
        load_surveys()
    fold_counts()
    from django.utils import timezone

    from org.calendar import DatabaseCalendar
    from org.models import User
    from supervision.rates import month_period, period, rates_by_department, subtree_sum
    from supervision.rollup import departments, rollup_month
    from tickets.clock_counts import lit_counts
    from tickets.deadlines import BEIJING
    from tickets.lights import overdue_by_more_than

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT date_trunc('month', min(created_at) + (max(created_at) - min(created_at)) / 2) FROM tickets_ticket"
        )
        month = cursor.fetchone()[0].date()
        if args.month:
            month = datetime.strptime(args.month, "%Y-%m").date()
        cursor.execute("SELECT count(*) FROM org_department")
        ndepartments = cursor.fetchone()[0]
    start, end = month_period(month)
    since, until = period(start, end)
    as_of = datetime.combine(end + timedelta(days=40), clock_time(0), BEIJING)
    everyone = departments()
    if args.explain:
        explain_rates(start, end, as_of)
    client = Client()
    client.force_login(User.objects.get(username="supervisor"))

    def page(path: str, **params: str) -> Callable[[], object]:
        def get() -> object:
            response = client.get(path, params)
            assert response.status_code == 200, response.status_code
            return response

        return get

    def lit_now() -> object:
        now = timezone.now()
        calendar = DatabaseCalendar()
        return lit_counts(now, [now, *(overdue_by_more_than(days, calendar, now) for days in (1, 3, 7))])

    def every_rate() -> object:
        return subtree_sum(rates_by_department(start=start, end=end, as_of=as_of), everyone)

    lines = [
        (f"rates_by_department({month:%Y-%m}) + subtree_sum: {ndepartments} departments × 7 rates", every_rate),
        (
            "  raw SQL: the same figures in one statement",
            raw(RAW_RATES, {"since": since, "until": until, "as_of": as_of}),
        ),
        (
            f"GET /api/v1/stats/rates/?from..to ({month:%Y-%m}, whole city)",
            page("/api/v1/stats/rates/", **{"from": f"{start}", "to": f"{end}"}),
        ),
        ("GET /supervision/ (red/yellow by clock, age, department, from the counts)", page("/supervision/")),
        ("  lit_counts: the dashboard's one statement over the maintained counts", lit_now),
        (
            "  raw SQL: open clocks past their warning time (red, yellow) by kind and department",
            raw(
                "SELECT kind, department_id, count(*) FILTER (WHERE due_at <= now()),"
                " count(*) FILTER (WHERE due_at > now())"
                " FROM tickets_deadline WHERE state = 'open' AND warn_at <= now() GROUP BY 1, 2"
            ),
        ),
        (
            f"GET /supervision/rankings/?month={month:%Y-%m} (from the rollup cache)",
            page("/supervision/rankings/", month=f"{month:%Y-%m}"),
        ),
        (f"rollup_month({month:%Y-%m}): the cache refreshed from the rows", lambda: rollup_month(month)),
    ]
    rollup_month(month)
    names = {
        "clock:response": "on_time_response",
        "clock:reply": "on_time_completion",
        "callback": "real_name_bad_review_callback",
    }
    from_sql: dict[str, list[int]] = {}
    for name, _department, good, total in raw(RAW_RATES, {"since": since, "until": until, "as_of": as_of})():  # type: ignore[attr-defined]
        pair = from_sql.setdefault(names.get(name, name), [0, 0])
        pair[0], pair[1] = pair[0] + good, pair[1] + total
    from supervision.rates import total as city_total

    from_orm = {
        k: [r.numerator, r.denominator]
        for k, r in city_total(rates_by_department(start=start, end=end, as_of=as_of)).items()
    }
    assert all(from_orm[k] == from_sql.get(k, [0, 0]) for k in from_orm), (from_orm, from_sql)
    print("the city's figures, the same from the ORM and from the raw statement:", from_orm)
    differing = raw(COPIES)()[0][0]  # type: ignore[index]
    assert differing == 0, f"{differing} copies differ from what they copy"
    print("every copy the rates read (survey clocks, rectifications, bad reviews) agrees with what it copies")
    same_lights(timezone.now())
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT (SELECT count(*) FROM tickets_ticket), (SELECT count(*) FROM tickets_deadline),"
            " (SELECT count(*) FROM reviews_surveyround), (SELECT count(*) FROM tickets_deadline"
            " WHERE due_at >= %s AND due_at < %s), (SELECT count(*) FROM tickets_ticket WHERE created_at >= %s"
            " AND created_at < %s),"
            " (SELECT min(created_at)::date || ' .. ' || max(created_at)::date FROM tickets_ticket)",
            [since, until, since, until],
        )
        tickets, clocks, rounds, in_month, received, history = cursor.fetchone()
    print(
        f"tickets: {tickets} ({history}, {args.per_day} a day); clocks: {clocks}; survey rounds: {rounds}; "
        f"in {month:%Y-%m}: {received} tickets received, {in_month} clocks due; as_of {as_of:%Y-%m-%d}; "
        f"runs per line: {args.runs}"
    )
    print(f"{'what':78} {'median ms':>10} {'p95 ms':>8}")
    for name, fn in lines:
        median, p95 = timed(fn, args.runs if "rollup_month" not in name else max(3, args.runs // 10))
        print(f"{name[:78]:78} {median:10.2f} {p95:8.2f}")


if __name__ == "__main__":
    main()
