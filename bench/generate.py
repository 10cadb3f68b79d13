"""A realistic centre for every benchmark: N tickets with everything the product writes for them, set-based.

Run: .venv/bin/python bench/generate.py [--tickets 10000000] [--per-day 5000] [--open 200000] [--workers 2]
(DATABASE_URL of the benchmark PostgreSQL: ``eval "$(scripts/bench-database.sh start DIR PORT)"``), or from another
benchmark: ``from generate import generate; generate(n, open_tickets=..., per_day=...)``. Idempotent: a database that
already holds N tickets is left alone; one that holds some but fewer is refused (numbers would collide).

The centre is the demo city (``seed_demo --without-tickets``) with a handler and a head in every handling
department, and a confirmed working-day calendar for every year of the history. Tickets arrive ``per_day`` a day,
evenly, ending now. Each ticket's whole life is drawn first (a timeline of every step, from hashes of its index, so
a run is reproducible), then cut at *now*: whatever happened by now is written, and the ticket's status, its clocks'
states and lights, its owner and its queue are those of that moment. Every row is written by INSERT … SELECT over
the batch's plan, never one ORM save per row. A batch reads nothing another batch wrote (its ids and day numbers
follow from the tickets' indexes), so ``--workers`` sessions load batches side by side, then build the indexes and
check the foreign keys side by side: each statement runs in one server process, and one session uses one core.

Proportions, and why:
- Channels: 60% phone, 15% web, 12% WeChat, 8% app, 5% mayor's mailbox: calls still dominate a 12345 centre, the
  citizen channels (taken from the intake queue by an operator) are the rest.
- 5% of calls are answered on the call (直接办结, consultations from the knowledge base): the centre answers simple
  questions itself; the other 95% are dispatched.
- Lead departments are skewed (a few city departments get most tickets; the cube of a uniform draw): city management
  and housing carry most complaints in every real centre.
- 4% of dispatches are returned by a wrong department and re-dispatched (退单): routing is mostly right.
- 8% have a co-handling department (协办) that replies to the lead: joint cases are a minority.
- 3% of replies are sent back for rework (退回重办): the review mostly approves.
- Surveys: 70% answered satisfied, 8% bad reviews (差评, rating 1-2), 17% unreachable after three calls, 5% closed by
  the reviewer without a survey: the satisfaction rates 12345 centres publish sit near 90% of those answered.
- 15% of bad reviews are appealed (复核) and upheld (不属实); the rest are rectified (verify, report, tell the
  citizen) and surveyed again, satisfied: appeals are the exception.
- Clocks met late: about 2% of intakes, 4% of responses, 6% of replies, 5% of surveys (long tails on each step's
  duration): most work is on time, so a rate near 95% is what the rankings show; a late clock was warned and breached
  by the sweep (warned_at, breached_at, events, the supervision notice and the outbox rows), as the minute sweep does.
- Open tickets: those whose life has not ended by now (about 4 days of arrivals), plus long-running ones drawn from
  the last months up to ``open_tickets`` (default 2% of N): their reply waited long in the centre's review queue,
  and they are now in review, awaiting the survey, or rectifying. Their clocks are green, yellow or red as the
  timeline puts them (at 1M: 2% of open tickets overdue, 6% yellow).
- Callers: one Caller row per ticket, as intake writes it, with valid normalised mainland mobiles drawn skewed from a
  pool, so that repeated callers are common (at 1M: 740,000 numbers, the busiest calling 233 times); 5% anonymous,
  2% confidential.

Derived data, as the product keeps it: the search words of each ticket (jieba's words of a pool of real messages,
computed once with the product's ``document_words``, plus every dispatched department's words ``§id`` and
``§id@YYYYMM``), the owner columns (tickets/owner.py's answer at now), the open-clock counts (written by the
product's own triggers on tickets_deadline as the clocks are inserted, then folded by ``deadline_counts_compact``),
each day's ticket-number sequence (tickets/numbering.py), and the copies the rates read (Deadline.rated_department
and untrue_at, Rectification.untrue_at, SurveyRound.anonymous and verified_at).

Not generated: merged repeats, sub-dispatches to child units, extension requests, ledger entries, attachments and
fraud flags (all rare; the benchmarks do not read them).
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
import threading
import time
from datetime import date, datetime, timedelta
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
import django  # noqa: E402
from django.apps import apps  # noqa: E402

if not apps.ready:  # run as a script: the benchmarks' settings. Imported by a test, Django is set up and the
    # process's environment stays as it is (the fault tests' servers inherit it: ALLOWED_HOSTS must not change).
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hotline.settings")
    os.environ.setdefault("HOTLINE_ENV", "test")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost")
    django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone, translation  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "tipdm2020"
DEFAULT_TICKETS = 10_000_000
DEFAULT_PER_DAY = 5_000
OPEN_SHARE = 0.02
BATCH = 250_000  # tickets per batch (whole days): the plan of a batch is held in temporary tables
NATURAL_OPEN_DAYS = 4.0  # about how many days of arrivals are still open by their natural timeline (measured)
LONG_RUN_DAYS = 120  # long-running open tickets are drawn from this many days before now
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
STREETS = ["人民路", "滨江路", "中心街", "望江路", "柳湾大道", "和谐家园", "东湖花园", "望江名苑", "解放路", "建设路"]
# The tables the generator fills in bulk: their secondary indexes and foreign keys are built once after a large load.
BULK_TABLES = [
    "tickets_caller",
    "tickets_ticket",
    "tickets_dispatch",
    "tickets_contact",
    "tickets_reply",
    "tickets_deadline",
    "tickets_ticketevent",
    "tickets_supervisionnotice",
    "tickets_outbox",
    "tickets_notification",
    "tickets_smsmessage",
    "reviews_surveyround",
    "reviews_surveyattempt",
    "reviews_rectification",
    "reviews_appeal",
]
# The setup's tables, read by every batch's session: unlogged, dropped at the end (each batch's own are temporary).
SHARED_TABLES = ("gen_due", "gen_text", "gen_address", "gen_dept", "gen_kind", "gen_policy")
# Id strides per ticket (ids are base + index * stride + slot: deterministic, so rows can name each other).
DISPATCH_STRIDE, CLOCK_STRIDE, ROUND_STRIDE, REPLY_STRIDE = 3, 10, 2, 2


# --- the setup: centre, people, calendar, due times, text pool -------------------------------------------------------


def _centre(years: range) -> dict:
    """The demo city, a handler and a head in every handling department, the calendar of every year. Returns ids."""
    from org.models import Department, User
    from org.services import calendar_year_confirm, calendar_year_seed

    call_command("seed_demo", "--without-tickets", verbosity=0)
    admin = User.objects.get(username="admin")
    for year in years:
        calendar_year_seed(year=year)
        calendar_year_confirm(year=year, actor=admin)
    handling = list(
        Department.objects.exclude(kind__in=[Department.Kind.CENTRE, Department.Kind.CITY, Department.Kind.DISTRICT])
        .order_by("pk")
        .values_list("pk", "code")
    )
    people = []
    for pk, code in handling:
        ids = []
        for role in (User.Role.HANDLER, User.Role.HEAD):
            user = User.objects.filter(department_id=pk, role=role, is_active=True).order_by("pk").first()
            if user is None:
                user = User.objects.create(
                    username=f"gen-{role}-{code}", full_name=f"{code} {role}", role=role, department_id=pk
                )
            ids.append(user.pk)
        people.append((pk, *ids))
    return {
        "centre": Department.objects.get(kind=Department.Kind.CENTRE).pk,
        "operator": User.objects.get(username="operator").pk,
        "reviewer": User.objects.get(username="reviewer").pk,
        "departments": people,  # (department id, handler id, head id), by id
        "categories": list(
            __import__("tickets.models", fromlist=["Category"])
            .Category.objects.filter(depth=2)
            .order_by("pk")
            .values_list("pk", flat=True)
        ),
    }


def _policy_days() -> list[tuple]:
    """(kind, urgency, intake, response, reply, survey) working days, by the product's own policy lookup."""
    from tickets.models import Ticket
    from tickets.services.clocks import policy_days

    rows = []
    for kind in Ticket.Kind.values:
        for urgency in Ticket.Urgency.values:
            probe = Ticket(kind=kind, urgency=urgency)
            rows.append((kind, urgency, *(policy_days(probe, c) for c in ("intake", "response", "reply", "survey"))))
    return rows


def _due_table(cursor, first_day: date, last_day: date, periods: set[int]) -> None:
    """gen_due(day, n, due_at, provisional): when an n-working-day clock started on ``day`` (Beijing) is due, by the
    product's due_after over the database calendar."""
    from org.calendar import DatabaseCalendar
    from tickets.deadlines import BEIJING, due_after

    calendar = DatabaseCalendar()
    close = settings.HOTLINE_CLOSE_OF_BUSINESS
    rows = []
    day = first_day
    while day <= last_day:
        start = datetime.combine(day, datetime.min.time(), BEIJING) + timedelta(hours=12)
        for n in sorted(periods):
            due = due_after(start, n, calendar, close_of_business=close)
            rows.append((day, n, due.at, due.provisional))
        day += timedelta(days=1)
    cursor.execute(
        "CREATE UNLOGGED TABLE gen_due (day date, n int, due_at timestamptz, provisional bool, PRIMARY KEY (day, n))"
    )
    cursor.execute(
        "INSERT INTO gen_due SELECT * FROM unnest(%s::date[], %s::int[], %s::timestamptz[], %s::bool[])",
        [[r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows], [r[3] for r in rows]],
    )


def pool_rows() -> list[tuple[str, str]]:
    """(content, reply) of real messages (shared/data/tipdm2020), or a small synthetic set without the folder."""
    rows: list[tuple[str, str]] = []
    for name in ("messages_with_replies.csv", "messages_labelled_sample.csv"):
        path = DATA / name
        if path.exists():
            with path.open(encoding="utf-8") as f:
                for r in csv.DictReader(f):
                    content = " ".join(r["content"].split())[:600]
                    if content:
                        rows.append((content, " ".join((r.get("reply") or "").split())[:800]))
    return rows or [(f"小区门口有人占道经营第{i}处，影响通行，请尽快处理", "") for i in range(500)]


def _pools(cursor) -> tuple[int, int]:
    """gen_text (content, its words, a reply) and gen_address (address, its words): the product's words, once each."""
    from tickets.search.words import document_words

    texts = pool_rows()
    replies = [r for _c, r in texts if r] or ["经核实，已安排人员现场处理，问题已解决。"]
    cursor.execute("CREATE UNLOGGED TABLE gen_text (tid int PRIMARY KEY, content text, words text[], reply text)")
    cursor.execute(
        "INSERT INTO gen_text SELECT i - 1, c, w::text[], r FROM unnest(%s::text[], %s::text[], %s::text[])"
        " WITH ORDINALITY AS u(c, w, r, i)",
        [
            [c for c, _r in texts],
            [
                "{" + ",".join('"' + w.replace("\\", "\\\\").replace('"', '\\"') + '"' for w in document_words(c)) + "}"
                for c, _r in texts
            ],
            [replies[i % len(replies)] for i in range(len(texts))],
        ],
    )
    addresses = [f"江南区{s}{n}号" if i % 2 else f"江北区{s}{n}号" for i, s in enumerate(STREETS) for n in range(1, 41)]
    cursor.execute("CREATE UNLOGGED TABLE gen_address (aid int PRIMARY KEY, address text, words text[])")
    cursor.execute(
        "INSERT INTO gen_address SELECT i - 1, a, w::text[] FROM unnest(%s::text[], %s::text[]) WITH ORDINALITY"
        " AS u(a, w, i)",
        [
            addresses,
            ["{" + ",".join('"' + w + '"' for w in document_words(a)) + "}" for a in addresses],
        ],
    )
    return len(texts), len(addresses)


FUNCTIONS = """
CREATE FUNCTION pg_temp.u(i bigint, salt int) RETURNS float8 IMMUTABLE LANGUAGE sql AS
  $$ SELECT (hashint8extended(i, salt) & 2147483647)::float8 / 2147483648.0 $$;
CREATE FUNCTION pg_temp.mins(i bigint, salt int, lo float8, hi float8, skew float8) RETURNS interval
  IMMUTABLE LANGUAGE sql AS $$ SELECT make_interval(mins => 0) + interval '1 minute' *
  (lo + (hi - lo) * power(pg_temp.u(i, salt), skew)) $$;
"""


# --- the plan of a batch: each ticket's timeline -------------------------------------------------------------------

PLAN = """
CREATE TEMP TABLE gen_plan AS
WITH base AS MATERIALIZED (
  SELECT i, %(ticket0)s + i AS id, %(start)s::timestamptz + (i - 1) * %(step)s::interval AS c,
         pg_temp.u(i, 1) AS uc, pg_temp.u(i, 2) AS uf, pg_temp.u(i, 3) AS us, pg_temp.u(i, 4) AS ul
  FROM generate_series(%(first)s::bigint, %(last)s::bigint) i
), drawn AS MATERIALIZED (
  SELECT b.*,
    CASE WHEN uc < 0.60 THEN 'phone' WHEN uc < 0.75 THEN 'web' WHEN uc < 0.87 THEN 'wechat'
         WHEN uc < 0.95 THEN 'app' ELSE 'mailbox' END AS channel,
    uc < 0.60 AND pg_temp.u(i, 5) < 0.05 / 0.60 AS answered,
    1 + floor(%(ndep)s * power(pg_temp.u(i, 6), 3))::int AS lead_idx,
    1 + mod(i * 7 + floor(pg_temp.u(i, 7) * 1000)::bigint, %(ndep)s)::int AS other_idx,
    pg_temp.u(i, 8) < 0.04 AS redisp,
    pg_temp.u(i, 9) < 0.08 AS co,
    pg_temp.u(i, 10) < 0.03 AS sendback,
    CASE WHEN us < 0.70 THEN 'good' WHEN us < 0.78 THEN 'bad' WHEN us < 0.95 THEN 'unreach' ELSE 'close' END
      AS outcome,
    pg_temp.u(i, 11) < 0.15 AS appeal,
    -- long-running: drawn from the last LONG_RUN_DAYS days, its reply waited in review until about now
    c > now() - %(long_days)s * interval '1 day' AND ul < %(long_share)s AS longrun,
    CASE WHEN pg_temp.u(i, 12) < 0.35 THEN 'consultation' WHEN pg_temp.u(i, 12) < 0.75 THEN 'complaint'
         WHEN pg_temp.u(i, 12) < 0.88 THEN 'help' WHEN pg_temp.u(i, 12) < 0.95 THEN 'report'
         WHEN pg_temp.u(i, 12) < 0.98 THEN 'suggestion' ELSE 'praise' END AS kind,
    CASE WHEN pg_temp.u(i, 13) < 0.93 THEN 'normal' WHEN pg_temp.u(i, 13) < 0.99 THEN 'urgent'
         ELSE 'very_urgent' END AS urgency
  FROM base b
), timeline AS MATERIALIZED (
  SELECT d.*,
    -- intake: dispatched (or answered) minutes to hours after receipt; 2%% wait past the next working day
    c + CASE WHEN pg_temp.u(i, 20) < 0.02 THEN pg_temp.mins(i, 21, 1500, 4500, 1)
             ELSE pg_temp.mins(i, 22, 3, 240, 2) END AS t_disp0,
    pg_temp.mins(i, 23, 60, 360, 1) AS ret_after, pg_temp.mins(i, 24, 60, 480, 1) AS arb_after,
    CASE WHEN pg_temp.u(i, 25) < 0.04 THEN pg_temp.mins(i, 26, 1500, 4300, 1)
         ELSE pg_temp.mins(i, 27, 10, 600, 2) END AS sign_after,
    pg_temp.mins(i, 28, 5, 300, 2) AS contact_after,
    CASE WHEN pg_temp.u(i, 29) < 0.06 THEN pg_temp.mins(i, 30, 8000, 16000, 1)
         ELSE pg_temp.mins(i, 31, 120, 6000, 1.5) END AS reply_after,
    pg_temp.mins(i, 32, 120, 1440, 1) AS sb_after, pg_temp.mins(i, 33, 240, 4000, 1.5) AS reply2_after,
    pg_temp.mins(i, 34, 30, 1440, 2) AS approve_after,
    CASE WHEN pg_temp.u(i, 35) < 0.05 THEN pg_temp.mins(i, 36, 3000, 6000, 1)
         ELSE pg_temp.mins(i, 37, 300, 2400, 1.5) END AS survey_after,
    pg_temp.mins(i, 38, 120, 2400, 1.5) AS verify_after, pg_temp.mins(i, 39, 60, 7000, 1.5) AS report_after,
    pg_temp.mins(i, 40, 60, 1440, 1) AS inform_after, pg_temp.mins(i, 41, 60, 2880, 1) AS survey2_after,
    pg_temp.mins(i, 42, 60, 1440, 1) AS appeal_after, pg_temp.mins(i, 43, 60, 2880, 1) AS opinion_after,
    pg_temp.mins(i, 44, 60, 4320, 1) AS decide_after
  FROM drawn d
), steps AS MATERIALIZED (
  SELECT t.*,
    CASE WHEN answered THEN NULL WHEN redisp THEN t_disp0 + ret_after + arb_after ELSE t_disp0 END AS t_disp,
    CASE WHEN redisp AND NOT answered THEN t_disp0 + ret_after END AS t_ret
  FROM timeline t
), work AS MATERIALIZED (
  SELECT s.*, s.t_disp + s.sign_after AS t_sign, s.t_disp + s.sign_after + s.contact_after AS t_contact,
         s.t_disp + s.sign_after + s.contact_after + s.reply_after AS t_reply1
  FROM steps s
), replied AS MATERIALIZED (
  SELECT w.*,
    CASE WHEN sendback THEN t_reply1 + sb_after END AS t_sb,
    CASE WHEN sendback THEN t_reply1 + sb_after + reply2_after ELSE t_reply1 END AS t_reply
  FROM work w
), approved AS MATERIALIZED (
  SELECT r.*,
    CASE WHEN answered THEN t_disp0
         WHEN longrun THEN greatest(t_reply + approve_after,
                                    now() - pg_temp.mins(i, 45, -2880, 4320, 1))
         ELSE t_reply + approve_after END AS t_sv_open
  FROM replied r
), surveyed AS MATERIALIZED (
  SELECT a.*, t_sv_open + survey_after + CASE WHEN outcome = 'unreach' THEN interval '5 hours' ELSE interval '0'
         END AS t_sv
  FROM approved a
), rectified AS MATERIALIZED (
  SELECT s.*,
    CASE WHEN outcome = 'bad' THEN t_sv + verify_after END AS t_ver,
    CASE WHEN outcome = 'bad' AND NOT (appeal AND NOT answered) THEN t_sv + verify_after + report_after END AS t_rep,
    CASE WHEN outcome = 'bad' AND NOT (appeal AND NOT answered) THEN t_sv + verify_after + report_after + inform_after
         END AS t_inf,
    CASE WHEN outcome = 'bad' AND NOT (appeal AND NOT answered)
         THEN t_sv + verify_after + report_after + inform_after + survey2_after
         END AS t_sv2,
    CASE WHEN outcome = 'bad' AND appeal AND NOT answered THEN t_sv + verify_after + appeal_after END AS t_apl,
    CASE WHEN outcome = 'bad' AND appeal AND NOT answered THEN t_sv + verify_after + appeal_after + opinion_after
         END AS t_hop,
    CASE WHEN outcome = 'bad' AND appeal AND NOT answered
         THEN t_sv + verify_after + appeal_after + opinion_after + decide_after
         END AS t_dec
  FROM surveyed s
)
SELECT r.i, r.id, r.c, r.channel, r.answered, r.redisp AND NOT r.answered AS redisp, r.co AND NOT r.answered AS co,
       r.sendback AND NOT r.answered AS sendback, r.outcome,
       r.outcome = 'bad' AND r.appeal AND NOT r.answered AS appeal,
       CASE WHEN r.answered THEN 'consultation' ELSE r.kind END AS kind,
       r.urgency, r.longrun,
       (%(departments)s::bigint[])[r.lead_idx] AS lead0,
       (%(departments)s::bigint[])[r.other_idx] AS other0,
       (%(categories)s::bigint[])[1 + mod(r.i * 31 + floor(pg_temp.u(r.i, 50) * 100)::bigint, %(ncat)s)] AS category,
       CASE WHEN r.channel <> 'phone' THEN r.c + least(pg_temp.mins(r.i, 51, 1, 30, 1), (r.t_disp0 - r.c) / 2) END
         AS t_take,
       r.t_disp0, r.t_ret, r.t_disp, r.t_sign, r.t_contact,
       CASE WHEN r.co THEN r.t_sign + (r.t_reply1 - r.t_sign) / 2 END AS t_coreply,
       r.t_reply1, r.t_sb, r.t_reply, r.t_sv_open, r.t_sv, r.t_ver, r.t_rep, r.t_inf, r.t_sv2, r.t_apl, r.t_hop,
       r.t_dec,
       CASE WHEN r.outcome = 'bad' THEN coalesce(r.t_sv2, r.t_dec) ELSE r.t_sv END AS t_close,
       1 + floor(3 * pg_temp.u(r.i, 52))::int AS rating_good_offset,
       1 + floor(2 * pg_temp.u(r.i, 53))::int AS rating_bad,
       pg_temp.u(r.i, 54) < 0.85 AS solved,
       CASE WHEN pg_temp.u(r.i, 55) < 0.6 THEN 'phone' WHEN pg_temp.u(r.i, 55) < 0.9 THEN 'sms' ELSE 'ivr' END
         AS survey_channel,
       CASE WHEN pg_temp.u(r.i, 56) < 0.6 THEN 'solved' WHEN pg_temp.u(r.i, 56) < 0.95 THEN 'explained'
            ELSE 'unsolvable' END AS reply_outcome,
       mod(floor(pg_temp.u(r.i, 57) * 1000000)::bigint, %(ntext)s)::int AS text_id,
       mod(floor(pg_temp.u(r.i, 58) * 1000000)::bigint, %(naddress)s)::int AS address_id,
       pg_temp.u(r.i, 59) < 0.05 AS anonymous, pg_temp.u(r.i, 60) < 0.02 AS confidential,
       -- a quarter as many numbers as tickets, skewed: frequent callers call again and again
       '1' || (ARRAY['38','39','58','59','86','87','36','35','77','88'])[1 + floor(10 * pg_temp.u(r.i, 61))::int]
         || lpad(floor(%(phones)s * power(pg_temp.u(r.i, 62), 2))::bigint::text, 8, '0') AS phone
FROM rectified r
"""

# The same plan, with times after now cut away and the derived facts at now.


def status_at(at: str, prefix: str = "t.") -> str:
    """The ticket's status at ``at`` (an SQL expression), from its timeline: the product's moves in their order."""
    steps = [
        (
            f"{{p}}t_sv2 <= {at} OR {{p}}t_dec <= {at} OR ({{p}}t_sv <= {at} AND {{p}}outcome IN ('good', 'unreach', "
            "'close'))",
            "closed",
        ),
        (f"{{p}}t_inf <= {at}", "awaiting_survey"),
        (f"{{p}}t_sv <= {at}", "rectifying"),
        (f"{{p}}answered AND {{p}}t_disp0 <= {at}", "answered"),
        (f"{{p}}t_sv_open <= {at}", "awaiting_survey"),
        (f"{{p}}t_reply <= {at}", "replied"),
        (f"{{p}}t_sb <= {at}", "in_progress"),
        (f"{{p}}t_reply1 <= {at}", "replied"),
        (f"{{p}}t_sign <= {at}", "in_progress"),
        (f"{{p}}t_disp <= {at}", "dispatched"),
        (f"{{p}}t_ret <= {at}", "returned"),
        (f"{{p}}t_disp0 <= {at}", "dispatched"),
    ]
    cases = " ".join(f"WHEN {condition.format(p=prefix)} THEN '{status}'" for condition, status in steps)
    return f"CASE {cases} ELSE 'received' END"


AT_NOW = (
    """
CREATE TEMP TABLE gen_t AS
SELECT p.*,
  coalesce(p.t_take <= %(now)s, false) AS did_take,
  coalesce(p.t_disp0 <= %(now)s, false) AS did_disp0,
  coalesce(p.t_ret <= %(now)s, false) AS did_ret,
  coalesce(p.t_disp <= %(now)s, false) AS did_disp,
  coalesce(p.t_sign <= %(now)s, false) AS did_sign,
  coalesce(p.t_contact <= %(now)s, false) AS did_contact,
  coalesce(p.t_coreply <= %(now)s, false) AS did_coreply,
  coalesce(p.t_reply1 <= %(now)s, false) AS did_reply1,
  coalesce(p.t_sb <= %(now)s, false) AS did_sb,
  coalesce(p.t_reply <= %(now)s, false) AS did_reply,
  coalesce(p.t_sv_open <= %(now)s, false) AS did_sv_open,
  coalesce(p.t_sv <= %(now)s, false) AS did_sv,
  coalesce(p.t_ver <= %(now)s, false) AS did_ver,
  coalesce(p.t_rep <= %(now)s, false) AS did_rep,
  coalesce(p.t_inf <= %(now)s, false) AS did_inf,
  coalesce(p.t_sv2 <= %(now)s, false) AS did_sv2,
  coalesce(p.t_apl <= %(now)s, false) AS did_apl,
  coalesce(p.t_hop <= %(now)s, false) AS did_hop,
  coalesce(p.t_dec <= %(now)s, false) AS did_dec,
  CASE WHEN p.redisp THEN p.other0 END AS first_lead,
  CASE WHEN p.answered THEN NULL ELSE p.lead0 END AS lead,
  CASE WHEN p.answered THEN NULL WHEN p.redisp AND NOT coalesce(p.t_disp <= %(now)s, false) THEN p.other0
       ELSE p.lead0 END AS cur_lead,
  CASE WHEN p.co AND p.other0 <> p.lead0 THEN p.other0 END AS co_dept,
  pg_temp.u(p.i, 70) AS ux
FROM gen_plan p;
ALTER TABLE gen_t ADD COLUMN status text, ADD COLUMN last_at timestamptz;
UPDATE gen_t SET status = """
    + status_at("%(now)s", "")
    + ";\n"
)

CALLERS = """
INSERT INTO tickets_caller (id, name, phone)
SELECT id, CASE WHEN anonymous THEN '' ELSE substr(%(surnames)s, 1 + mod(i, %(nsurnames)s)::int, 1)
       || CASE WHEN mod(i, 2) = 0 THEN '先生' ELSE '女士' END END, phone
FROM gen_t
"""

# Clocks, one row per (ticket, slot), in their state at now. Slots: 0 intake, 1/2 the first lead's response/reply (a
# re-dispatched ticket), 3/4 the lead's response/reply, 5 the rework reply, 6 the first survey, 7/8 the
# rectification's response/report, 9 the second survey.
CLOCKS = """
CREATE TEMP TABLE gen_clock AS
WITH c (ticket_id, i, slot, kind, department_id, rated_department_id, started_at, days, met_at, ended_at,
        superseded_at, paused_at, cause, untrue_at) AS (
  SELECT id, i, 0, 'intake', NULL::bigint, NULL::bigint, c, pi.intake, CASE WHEN did_disp0 THEN t_disp0 END,
         NULL::timestamptz, NULL::timestamptz, NULL::timestamptz, '', NULL::timestamptz
    FROM gen_t JOIN gen_policy pi USING (kind, urgency)
  UNION ALL
  SELECT id, i, 1 + k.n, k.kind, first_lead, NULL, t_disp0, CASE k.n WHEN 0 THEN pi.response ELSE pi.reply END,
         NULL, CASE WHEN did_disp THEN t_disp END, NULL, CASE WHEN did_ret THEN t_ret END, '', NULL
    FROM gen_t JOIN gen_policy pi USING (kind, urgency)
    CROSS JOIN (VALUES (0, 'response'), (1, 'reply')) k(n, kind)
   WHERE redisp AND did_disp0
  UNION ALL
  SELECT id, i, 3, 'response', lead, NULL, t_disp, pi.response, CASE WHEN did_contact THEN t_contact END,
         NULL, NULL, NULL, '', NULL
    FROM gen_t JOIN gen_policy pi USING (kind, urgency) WHERE did_disp
  UNION ALL
  SELECT id, i, 4, 'reply', lead, NULL, t_disp, pi.reply, CASE WHEN did_reply1 THEN t_reply1 END,
         NULL, NULL, NULL, '', NULL
    FROM gen_t JOIN gen_policy pi USING (kind, urgency) WHERE did_disp
  UNION ALL
  SELECT id, i, 5, 'reply', lead, NULL, t_sb, pi.reply, CASE WHEN did_reply THEN t_reply END,
         NULL, NULL, NULL, 'send_back', NULL
    FROM gen_t JOIN gen_policy pi USING (kind, urgency) WHERE did_sb
  UNION ALL
  SELECT id, i, 6, 'survey', NULL, coalesce(lead, %(centre)s), t_sv_open, pi.survey,
         CASE WHEN did_sv AND outcome <> 'close' THEN t_sv END,
         CASE WHEN did_sv AND outcome = 'close' THEN t_sv END, NULL, NULL, '',
         CASE WHEN did_dec THEN t_dec END
    FROM gen_t JOIN gen_policy pi USING (kind, urgency) WHERE did_sv_open
  UNION ALL
  SELECT id, i, 7, 'rect_response', coalesce(lead, %(centre)s), NULL, t_sv, pi.response,
         CASE WHEN did_ver THEN t_ver END, NULL, NULL, NULL, '', NULL
    FROM gen_t JOIN gen_policy pi USING (kind, urgency) WHERE outcome = 'bad' AND did_sv
  UNION ALL
  SELECT id, i, 8, 'rect_reply', coalesce(lead, %(centre)s), NULL, t_sv, pi.reply,
         CASE WHEN did_rep THEN t_rep END, CASE WHEN did_dec THEN t_dec END, NULL,
         CASE WHEN did_apl THEN t_apl END, '', NULL
    FROM gen_t JOIN gen_policy pi USING (kind, urgency) WHERE outcome = 'bad' AND did_sv
  UNION ALL
  SELECT id, i, 9, 'survey', NULL, coalesce(lead, %(centre)s), t_inf, pi.survey, CASE WHEN did_sv2 THEN t_sv2 END,
         NULL, NULL, NULL, '', NULL
    FROM gen_t JOIN gen_policy pi USING (kind, urgency) WHERE did_inf
)
SELECT %(clock0)s + (c.i - 1) * %(stride)s + c.slot AS id, c.*, d.due_at, d.provisional,
       c.started_at + (d.due_at - c.started_at) * 0.8 AS warn_at,
       CASE WHEN c.met_at IS NOT NULL THEN 'met' WHEN c.ended_at IS NOT NULL THEN 'ended'
            WHEN c.superseded_at IS NOT NULL THEN 'superseded' WHEN c.paused_at IS NOT NULL THEN 'paused'
            ELSE 'open' END AS state,
       -- until when the sweep saw it open: it was warned and breached (once, never again) if that passed the times
       least(c.met_at, c.ended_at, c.superseded_at, c.paused_at, %(now)s) AS open_until
FROM c JOIN gen_due d ON d.day = (c.started_at AT TIME ZONE 'Asia/Shanghai')::date AND d.n = c.days
"""

DEADLINES = """
INSERT INTO tickets_deadline (id, ticket_id, department_id, kind, state, started_at, due_at, warn_at, provisional,
    warned_at, breached_at, met_at, superseded_at, paused_at, ended_at, working_days, extra_working_days, cause,
    rated_department_id, untrue_at)
SELECT id, ticket_id, department_id, kind, state, started_at, due_at, warn_at, provisional,
       CASE WHEN open_until > warn_at AND warn_at <= due_at THEN warn_at END,
       CASE WHEN open_until > due_at THEN due_at END,
       met_at, superseded_at, paused_at, ended_at, days, 0, cause, rated_department_id, untrue_at
FROM gen_clock
"""

# Each ticket's events, every one the services and the sweep write, in time order.
EVENTS = (
    """
INSERT INTO tickets_ticketevent (ticket_id, actor_id, verb, from_status, to_status, note, payload, deadline_id, at)
SELECT ticket_id, actor_id, verb, from_status, to_status, note, payload, deadline_id, at FROM (
  SELECT id AS ticket_id, CASE WHEN channel = 'phone' THEN %(operator)s END AS actor_id, 'receive' AS verb,
         'received' AS from_status, 'received' AS to_status, '' AS note,
         jsonb_build_object('channel', channel) AS payload,
         NULL::bigint AS deadline_id, c AS at, 0 AS o FROM gen_t
  UNION ALL SELECT id, %(operator)s, 'take', 'received', 'received', '', '{}', NULL, t_take, 1 FROM gen_t
   WHERE did_take
  UNION ALL SELECT id, %(operator)s, 'answer', 'received', 'answered', tx.reply, '{}', NULL, t_disp0, 2
    FROM gen_t JOIN gen_text tx ON tx.tid = text_id WHERE answered AND did_disp0
  UNION ALL SELECT id, %(operator)s, 'dispatch', 'received', 'dispatched', '',
         jsonb_build_object('department', coalesce(first_lead, lead), 'co_departments',
                            CASE WHEN co_dept IS NOT NULL AND NOT redisp THEN jsonb_build_array(co_dept)
                                 ELSE '[]'::jsonb END), NULL, t_disp0, 2
    FROM gen_t WHERE NOT answered AND did_disp0
  UNION ALL SELECT id, NULL, 'intake_met', CASE WHEN answered THEN 'answered' ELSE 'dispatched' END,
         CASE WHEN answered THEN 'answered' ELSE 'dispatched' END, '', '{}', %(clock0)s + (i - 1) * %(stride)s,
         t_disp0, 3 FROM gen_t WHERE did_disp0
  UNION ALL SELECT id, fh.handler, 'return', 'dispatched', 'returned', '不属于本单位职责，请重新派发',
         '{"paused": ["reply", "response"]}', NULL, t_ret, 4
    FROM gen_t JOIN gen_dept fh ON fh.did = first_lead WHERE did_ret
  UNION ALL SELECT id, %(reviewer)s, 'arbitrate_return', 'returned', 'dispatched', '',
         jsonb_build_object('accepted', true, 'department', lead, 'ended_clocks', '["reply", "response"]'::jsonb),
         NULL, t_disp, 5 FROM gen_t WHERE redisp AND did_disp
  UNION ALL SELECT id, h.handler, 'sign', 'dispatched', 'in_progress', '', '{}', NULL, t_sign, 6
    FROM gen_t JOIN gen_dept h ON h.did = lead WHERE did_sign
  UNION ALL SELECT id, h.handler, 'contact', 'in_progress', 'in_progress', '已电话联系市民，了解诉求',
         '{"channel": "phone"}', NULL, t_contact, 7 FROM gen_t JOIN gen_dept h ON h.did = lead WHERE did_contact
  UNION ALL SELECT id, NULL, 'response_met', 'in_progress', 'in_progress', '', '{}',
         %(clock0)s + (i - 1) * %(stride)s + 3, t_contact, 8 FROM gen_t WHERE did_contact
  UNION ALL SELECT id, ch.handler, 'co_reply', 'in_progress', 'in_progress', '已配合核查，情况如下',
         jsonb_build_object('department', co_dept), NULL, t_coreply, 9
    FROM gen_t JOIN gen_dept ch ON ch.did = co_dept WHERE did_coreply
  UNION ALL SELECT id, h.handler, 'reply', 'in_progress', 'replied', '',
         jsonb_build_object('reply', %(reply0)s + (i - 1) * %(reply_stride)s, 'outcome', reply_outcome), NULL,
         t_reply1, 10 FROM gen_t JOIN gen_dept h ON h.did = lead WHERE did_reply1
  UNION ALL SELECT id, NULL, 'reply_met', 'replied', 'replied', '', '{}', %(clock0)s + (i - 1) * %(stride)s + 4,
         t_reply1, 11 FROM gen_t WHERE did_reply1
  UNION ALL SELECT id, %(reviewer)s, 'send_back', 'replied', 'in_progress', '答复内容不完整，请补充处理结果', '{}',
         NULL, t_sb, 12 FROM gen_t WHERE did_sb
  UNION ALL SELECT id, h.handler, 'reply', 'in_progress', 'replied', '',
         jsonb_build_object('reply', %(reply0)s + (i - 1) * %(reply_stride)s + 1, 'outcome', reply_outcome), NULL,
         t_reply, 13 FROM gen_t JOIN gen_dept h ON h.did = lead WHERE did_sb AND did_reply
  UNION ALL SELECT id, NULL, 'reply_met', 'replied', 'replied', '', '{}', %(clock0)s + (i - 1) * %(stride)s + 5,
         t_reply, 14 FROM gen_t WHERE did_sb AND did_reply
  UNION ALL SELECT id, %(reviewer)s, 'approve_reply', 'replied', 'awaiting_survey', '', '{}', NULL, t_sv_open, 15
    FROM gen_t WHERE NOT answered AND did_sv_open
  UNION ALL SELECT id, %(operator)s, 'survey_attempt', s.st, s.st, '',
         jsonb_build_object('round', 1, 'outcome', 'no_answer', 'counted', k.n), NULL,
         t_sv - (3 - k.n) * interval '2 hours 30 minutes', 16
    FROM (SELECT *, CASE WHEN answered THEN 'answered' ELSE 'awaiting_survey' END AS st FROM gen_t) s
    CROSS JOIN (VALUES (1), (2)) k(n)
   WHERE outcome = 'unreach' AND t_sv - (3 - k.n) * interval '2 hours 30 minutes' <= %(now)s
  UNION ALL SELECT id, CASE WHEN survey_channel = 'phone' OR outcome = 'unreach' THEN %(operator)s END, 'survey',
         CASE WHEN answered THEN 'answered' ELSE 'awaiting_survey' END,
         CASE WHEN outcome = 'bad' THEN 'rectifying' ELSE 'closed' END, '',
         CASE WHEN outcome = 'unreach' THEN
                jsonb_build_object('round', 1, 'unreachable', true, 'attempts', 3, 'ended_clocks', '[]'::jsonb,
                                   'cancelled_extensions', 0, 'cancelled_returns', 0)
              WHEN outcome = 'bad' THEN
                jsonb_build_object('round', 1, 'rating', rating_bad, 'solved', false, 'channel', survey_channel)
              ELSE jsonb_build_object('round', 1, 'rating', 2 + rating_good_offset, 'solved', solved,
                                      'channel', survey_channel, 'ended_clocks', '[]'::jsonb,
                                      'cancelled_extensions', 0, 'cancelled_returns', 0) END,
         NULL, t_sv, 17 FROM gen_t WHERE did_sv AND outcome <> 'close'
  UNION ALL SELECT id, %(reviewer)s, 'close', CASE WHEN answered THEN 'answered' ELSE 'awaiting_survey' END,
         'closed', '市民表示无需回访',
         '{"ended_clocks": ["survey"], "cancelled_extensions": 0, "cancelled_returns": 0}', NULL, t_sv, 17
    FROM gen_t WHERE did_sv AND outcome = 'close'
  UNION ALL SELECT id, h.handler, 'rectification_verify', 'rectifying', 'rectifying', '已回访核实市民反映的问题',
         jsonb_build_object('rectification', %(rect0)s + i), NULL, t_ver, 18
    FROM gen_t JOIN gen_dept h ON h.did = coalesce(lead, %(centre)s) WHERE did_ver
  UNION ALL SELECT id, h.handler, 'rectification_report', 'rectifying', 'rectifying', '已立即整改到位',
         jsonb_build_object('rectification', %(rect0)s + i, 'type', 'immediate', 'ledger_due_date', NULL), NULL,
         t_rep, 19 FROM gen_t JOIN gen_dept h ON h.did = coalesce(lead, %(centre)s) WHERE did_rep
  UNION ALL SELECT id, h.handler, 'rectification_inform', 'rectifying', 'awaiting_survey', '已告知市民整改结果',
         jsonb_build_object('rectification', %(rect0)s + i), NULL, t_inf, 20
    FROM gen_t JOIN gen_dept h ON h.did = coalesce(lead, %(centre)s) WHERE did_inf
  UNION ALL SELECT id, CASE WHEN survey_channel = 'phone' THEN %(operator)s END, 'survey', 'awaiting_survey',
         'closed', '', jsonb_build_object('round', 2, 'rating', 2 + rating_good_offset, 'solved', true,
                                          'channel', survey_channel, 'ended_clocks', '[]'::jsonb,
                                          'cancelled_extensions', 0, 'cancelled_returns', 0), NULL, t_sv2, 21
    FROM gen_t WHERE did_sv2
  UNION ALL SELECT id, h.handler, 'appeal_apply', 'rectifying', 'rectifying', '市民反映问题不属于本单位职责范围',
         jsonb_build_object('appeal', %(appeal0)s + i, 'paused', '["rect_reply"]'::jsonb), NULL, t_apl, 22
    FROM gen_t JOIN gen_dept h ON h.did = coalesce(lead, %(centre)s) WHERE did_apl
  UNION ALL SELECT id, h.head, 'appeal_opinion', 'rectifying', 'rectifying', '情况属实，同意申请复核',
         jsonb_build_object('appeal', %(appeal0)s + i, 'supports', true), NULL, t_hop, 23
    FROM gen_t JOIN gen_dept h ON h.did = coalesce(lead, %(centre)s) WHERE did_hop
  UNION ALL SELECT id, %(reviewer)s, 'appeal_decide', 'rectifying', 'closed', '经核查，差评不属实',
         jsonb_build_object('appeal', %(appeal0)s + i, 'upheld', true, 'ended_clocks', '["rect_reply"]'::jsonb,
                            'cancelled_extensions', 0, 'cancelled_returns', 0), NULL, t_dec, 24
    FROM gen_t WHERE did_dec
  -- the minute sweep's marks
  UNION ALL SELECT k.ticket_id, NULL, k.kind || '_warned', """
    + status_at("k.warn_at")
    + ", "
    + status_at("k.warn_at")
    + """, '', jsonb_build_object('due_at', to_char(k.due_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"+00:00"')),
         k.id, k.warn_at, 30 FROM gen_clock k JOIN gen_t t ON t.id = k.ticket_id
   WHERE k.open_until > k.warn_at AND k.warn_at <= k.due_at
  UNION ALL SELECT k.ticket_id, NULL, k.kind || '_breached', """
    + status_at("k.due_at")
    + ", "
    + status_at("k.due_at")
    + """, '', jsonb_build_object('due_at', to_char(k.due_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"+00:00"')),
         k.id, k.due_at, 31 FROM gen_clock k JOIN gen_t t ON t.id = k.ticket_id WHERE k.open_until > k.due_at
) e
"""
)

TICKETS = """
INSERT INTO tickets_ticket (id, number, status, channel, kind, urgency, category_id, area_id, address, content,
    confidential, anonymous, caller_id, lead_department_id, received_by_id, taken_by_id, media_url,
    tracking_code_hash, created_at, updated_at, search_vector, owner_queue, owner_department_id, owner_user_id,
    owner_due_at, owner_since)
SELECT t.id,
       to_char(t.c AT TIME ZONE 'Asia/Shanghai', 'YYYYMMDD')
         || lpad((row_number() OVER (PARTITION BY (t.c AT TIME ZONE 'Asia/Shanghai')::date ORDER BY t.i)
                  + coalesce(s.issued, 0))::text, 6, '0'),
       t.status, t.channel, CASE WHEN t.answered THEN 'consultation' ELSE t.kind END, t.urgency, t.category, NULL,
       a.address, x.content, t.confidential, t.anonymous, t.id,
       CASE WHEN t.did_disp0 AND NOT t.answered THEN coalesce(CASE WHEN t.did_disp THEN t.lead END, t.first_lead) END,
       CASE WHEN t.channel = 'phone' THEN %(operator)s END,
       CASE WHEN t.channel = 'phone' OR t.did_take THEN %(operator)s END, '', '', t.c, t.last_at,
       array_to_tsvector(x.words || a.words || coalesce(w.words, ARRAY[]::text[])),
       coalesce(o.queue, ''), o.department_id, o.user_id, o.due_at, o.since
FROM gen_t t
JOIN gen_text x ON x.tid = t.text_id
JOIN gen_address a ON a.aid = t.address_id
LEFT JOIN gen_owner o ON o.ticket_id = t.id
LEFT JOIN (SELECT d.ticket_id, array_agg('§' || d.department_id) || array_agg('§' || d.department_id || '@' ||
                  to_char(g.c AT TIME ZONE 'UTC', 'YYYYMM')) AS words
             FROM gen_dispatch d JOIN gen_t g ON g.id = d.ticket_id GROUP BY d.ticket_id) w ON w.ticket_id = t.id
LEFT JOIN gen_issued s ON s.day = (t.c AT TIME ZONE 'Asia/Shanghai')::date
"""

# Dispatch rows: slot 0 the first (returned) lead, 1 the lead, 2 the co-handler.
DISPATCHES = """
CREATE TEMP TABLE gen_dispatch AS
SELECT %(dispatch0)s + (i - 1) * 3 AS id, id AS ticket_id, first_lead AS department_id, 'lead' AS role,
       NOT did_disp AS active, t_disp0 AS dispatched_at, NULL::bigint AS signed_by_id, NULL::timestamptz AS signed_at,
       CASE WHEN did_disp THEN 'accepted' WHEN did_ret THEN 'pending' ELSE '' END AS return_state,
       CASE WHEN did_ret THEN '不属于本单位职责，请重新派发' ELSE '' END AS return_reason,
       CASE WHEN did_ret THEN t_ret END AS returned_at, NULL::timestamptz AS replied_at, '' AS reply_text
  FROM gen_t WHERE redisp AND did_disp0
UNION ALL
SELECT %(dispatch0)s + (i - 1) * 3 + 1, t.id, lead, 'lead', true, t_disp, CASE WHEN did_sign THEN h.handler END,
       CASE WHEN did_sign THEN t_sign END, '', '', NULL, CASE WHEN did_reply THEN t_reply END, ''
  FROM gen_t t JOIN gen_dept h ON h.did = t.lead WHERE did_disp
UNION ALL
SELECT %(dispatch0)s + (i - 1) * 3 + 2, id, co_dept, 'co', true, t_disp, NULL, NULL, '', '', NULL,
       CASE WHEN did_coreply THEN t_coreply END, CASE WHEN did_coreply THEN '已配合核查，情况如下' ELSE '' END
  FROM gen_t WHERE co_dept IS NOT NULL AND did_disp
"""
DISPATCH_INSERT = """
INSERT INTO tickets_dispatch (id, ticket_id, department_id, role, parent_id, active, dispatched_by_id, dispatched_at,
    signed_by_id, signed_at, return_state, return_reason, returned_at, replied_at, reply_text)
SELECT d.id, d.ticket_id, d.department_id, d.role, NULL, d.active, %(operator)s, d.dispatched_at, d.signed_by_id,
       d.signed_at, d.return_state, d.return_reason, d.returned_at, d.replied_at, d.reply_text
FROM gen_dispatch d
"""

# Who must act next, as tickets/owner.py decides it from these facts (checked against owners_refresh by the test).
OWNERS = """
CREATE TEMP TABLE gen_owner AS
SELECT t.id AS ticket_id, o.queue,
       CASE WHEN o.side = 'centre' THEN %(centre)s ELSE o.department END AS department_id,
       CASE WHEN o.queue = 'saved' THEN %(operator)s END AS user_id,
       (SELECT k.due_at FROM gen_clock k WHERE k.ticket_id = t.id AND k.kind = o.clock AND k.state = 'open') AS due_at,
       o.since
FROM gen_t t
CROSS JOIN LATERAL (SELECT * FROM (VALUES
    (t.status = 'received' AND t.channel = 'phone', 'saved', 'centre', NULL::bigint, 'intake', t.c),
    (t.status = 'received' AND t.did_take, 'saved', 'centre', NULL, 'intake', t.t_take),
    (t.status = 'received', 'intake', 'centre', NULL, 'intake', t.c),
    (t.status = 'answered', 'survey', 'centre', NULL, 'survey', t.t_disp0),
    (t.status = 'returned', 'returns', 'centre', NULL, NULL, t.t_ret),
    (t.status = 'dispatched', 'sign', 'department', t.cur_lead, 'response',
     CASE WHEN t.did_disp THEN t.t_disp ELSE t.t_disp0 END),
    (t.status = 'in_progress' AND NOT t.did_contact, 'contact', 'department', t.lead, 'response', t.t_sign),
    (t.status = 'in_progress' AND t.did_sb, 'rework', 'department', t.lead, 'reply', t.t_sb),
    (t.status = 'in_progress', 'reply', 'department', t.lead, 'reply', t.t_contact),
    (t.status = 'replied', 'review', 'centre', NULL, NULL, coalesce(CASE WHEN t.did_reply THEN t.t_reply END,
                                                                     t.t_reply1)),
    (t.status = 'awaiting_survey', 'survey', 'centre', NULL, 'survey', coalesce(t.t_inf, t.t_sv_open)),
    (t.status = 'rectifying' AND t.did_hop, 'appeal_decide', 'centre', NULL, NULL, t.t_hop),
    (t.status = 'rectifying' AND t.did_apl, 'appeal_opinion', 'department', coalesce(t.lead, %(centre)s), NULL,
     t.t_apl),
    (t.status = 'rectifying' AND t.did_rep, 'rect_inform', 'department', coalesce(t.lead, %(centre)s), NULL,
     t.t_rep),
    (t.status = 'rectifying' AND t.did_ver, 'rect_report', 'department', coalesce(t.lead, %(centre)s), 'rect_reply',
     t.t_ver),
    (t.status = 'rectifying', 'rect_verify', 'department', coalesce(t.lead, %(centre)s), 'rect_response', t.t_sv)
  ) v(applies, queue, side, department, clock, since) WHERE v.applies LIMIT 1) o
"""

REPLIES = """
INSERT INTO tickets_reply (id, ticket_id, dispatch_id, author_id, outcome, text, submitted_at, state, reviewed_by_id,
    reviewed_at, review_note)
SELECT %(reply0)s + (t.i - 1) * 2 + r.slot, t.id, %(dispatch0)s + (t.i - 1) * 3 + 1, h.handler, t.reply_outcome,
       x.reply, r.at,
       CASE WHEN r.reviewed IS NULL OR r.reviewed > %(now)s THEN 'pending'
            WHEN r.slot = 0 AND t.sendback THEN 'sent_back' ELSE 'approved' END,
       CASE WHEN r.reviewed <= %(now)s THEN %(reviewer)s END, CASE WHEN r.reviewed <= %(now)s THEN r.reviewed END,
       CASE WHEN r.reviewed <= %(now)s AND r.slot = 0 AND t.sendback THEN '答复内容不完整，请补充处理结果' ELSE '' END
FROM gen_t t JOIN gen_dept h ON h.did = t.lead JOIN gen_text x ON x.tid = t.text_id
CROSS JOIN LATERAL (VALUES (0, t.t_reply1, CASE WHEN t.sendback THEN t.t_sb ELSE t.t_sv_open END),
                           (1, t.t_reply, t.t_sv_open)) r(slot, at, reviewed)
WHERE r.at <= %(now)s AND (r.slot = 0 OR t.sendback)
"""

CONTACTS = """
INSERT INTO tickets_contact (ticket_id, dispatch_id, actor_id, channel, contacted_at, note, recorded_at)
SELECT t.id, %(dispatch0)s + (t.i - 1) * 3 + 1, h.handler, 'phone', t.t_contact, '已电话联系市民，了解诉求', t.t_contact
FROM gen_t t JOIN gen_dept h ON h.did = t.lead WHERE t.did_contact
"""

ROUNDS = """
INSERT INTO reviews_surveyround (id, ticket_id, number, department_id, state, opened_at, deadline_id, channel, rating,
    solved, comment, entered_by_id, answered_at, answer_ip, evaluator_phone, token_hash, token_expires_at, untrue,
    untrue_at, anonymous, verified_at)
SELECT %(round0)s + (t.i - 1) * 2 + r.n - 1, t.id, r.n, coalesce(t.lead, %(centre)s),
       CASE WHEN NOT r.done THEN 'open' WHEN r.n = 1 AND t.outcome = 'unreach' THEN 'unreachable'
            WHEN r.n = 1 AND t.outcome = 'close' THEN 'cancelled' ELSE 'answered' END,
       r.opened, %(clock0)s + (t.i - 1) * %(stride)s + CASE r.n WHEN 1 THEN 6 ELSE 9 END,
       CASE WHEN r.answered THEN t.survey_channel ELSE '' END,
       CASE WHEN r.answered THEN CASE WHEN r.n = 1 AND t.outcome = 'bad' THEN t.rating_bad
                                      ELSE 2 + t.rating_good_offset END END,
       CASE WHEN r.answered THEN CASE WHEN r.n = 1 AND t.outcome = 'bad' THEN false WHEN r.n = 2 THEN true
                                      ELSE t.solved END END,
       '', CASE WHEN r.answered AND t.survey_channel = 'phone' THEN %(operator)s END,
       CASE WHEN r.answered THEN r.at END,
       CASE WHEN r.answered AND t.survey_channel = 'sms'
            THEN ('36.' || mod(t.i, 250) || '.' || mod(t.i / 250, 250) || '.' || (1 + mod(t.i, 7)))::inet END,
       t.phone, encode(sha256(('gen-survey-' || t.id || '-' || r.n)::bytea), 'hex'), k.due_at,
       t.did_dec AND r.n = 1, CASE WHEN t.did_dec AND r.n = 1 THEN t.t_dec END, t.anonymous,
       CASE WHEN r.n = 1 AND t.did_ver THEN t.t_ver END
FROM gen_t t
CROSS JOIN LATERAL (VALUES (1, t.t_sv_open, t.t_sv, t.did_sv, t.did_sv AND t.outcome IN ('good', 'bad')),
                           (2, t.t_inf, t.t_sv2, t.did_sv2, t.did_sv2)) r(n, opened, at, done, answered)
JOIN gen_clock k ON k.id = %(clock0)s + (t.i - 1) * %(stride)s + CASE r.n WHEN 1 THEN 6 ELSE 9 END
WHERE r.opened <= %(now)s
"""

ATTEMPTS = """
INSERT INTO reviews_surveyattempt (round_id, at, outcome, channel, entered_by_id)
SELECT %(round0)s + (t.i - 1) * 2 + a.n - 1, a.at, a.outcome, a.channel, a.by
FROM gen_t t CROSS JOIN LATERAL (VALUES
    (1, t.t_sv - interval '5 hours', 'no_answer', 'phone', %(operator)s::bigint, t.outcome = 'unreach'),
    (1, t.t_sv - interval '2 hours 30 minutes', 'no_answer', 'phone', %(operator)s, t.outcome = 'unreach'),
    (1, t.t_sv, 'no_answer', 'phone', %(operator)s, t.outcome = 'unreach'),
    (1, t.t_sv, 'answered', t.survey_channel,
     CASE WHEN t.survey_channel = 'phone' THEN %(operator)s::bigint END, t.outcome IN ('good', 'bad')),
    (2, t.t_sv2, 'answered', t.survey_channel,
     CASE WHEN t.survey_channel = 'phone' THEN %(operator)s::bigint END, t.t_sv2 IS NOT NULL)
  ) a(n, at, outcome, channel, by, applies)
WHERE a.applies AND a.at <= %(now)s
"""

RECTIFICATIONS = """
INSERT INTO reviews_rectification (id, ticket_id, round_id, department_id, state, opened_at, verified_at,
    verification_note, report_type, report_text, reported_at, report_due_at, ledger_due_date, ledger_done_at,
    invalid_decided_by_id, informed_at, informed_note, ended_at, untrue_at)
SELECT %(rect0)s + t.i, t.id, %(round0)s + (t.i - 1) * 2, coalesce(t.lead, %(centre)s),
       CASE WHEN t.did_dec THEN 'ended' WHEN t.did_inf THEN 'done' WHEN t.did_rep THEN 'reported'
            WHEN t.did_ver THEN 'verified' ELSE 'open' END,
       t.t_sv, CASE WHEN t.did_ver THEN t.t_ver END,
       CASE WHEN t.did_ver THEN '已回访核实市民反映的问题' ELSE '' END,
       CASE WHEN t.did_rep THEN 'immediate' ELSE '' END, CASE WHEN t.did_rep THEN '已立即整改到位' ELSE '' END,
       CASE WHEN t.did_rep THEN t.t_rep END, k.due_at, NULL, NULL, NULL,
       CASE WHEN t.did_inf THEN t.t_inf END, CASE WHEN t.did_inf THEN '已告知市民整改结果' ELSE '' END,
       CASE WHEN t.did_dec THEN t.t_dec END, CASE WHEN t.did_dec THEN t.t_dec END
FROM gen_t t JOIN gen_clock k ON k.id = %(clock0)s + (t.i - 1) * %(stride)s + 8
WHERE t.outcome = 'bad' AND t.did_sv
"""

APPEALS = """
INSERT INTO reviews_appeal (id, round_id, ticket_id, department_id, state, applicant_id, reasons, applied_at,
    head_id, head_supports, head_note, head_at, decided_by_id, decision_note, decided_at)
SELECT %(appeal0)s + t.i, %(round0)s + (t.i - 1) * 2, t.id, coalesce(t.lead, %(centre)s),
       CASE WHEN t.did_dec THEN 'upheld' WHEN t.did_hop THEN 'awaiting_centre' ELSE 'awaiting_head' END,
       h.handler, '市民反映问题不属于本单位职责范围', t.t_apl,
       CASE WHEN t.did_hop THEN h.head END, CASE WHEN t.did_hop THEN true END,
       CASE WHEN t.did_hop THEN '情况属实，同意申请复核' ELSE '' END, CASE WHEN t.did_hop THEN t.t_hop END,
       CASE WHEN t.did_dec THEN %(reviewer)s END, CASE WHEN t.did_dec THEN '经核查，差评不属实' ELSE '' END,
       CASE WHEN t.did_dec THEN t.t_dec END
FROM gen_t t JOIN gen_dept h ON h.did = coalesce(t.lead, %(centre)s) WHERE t.did_apl
"""

NOTICES = """
INSERT INTO tickets_supervisionnotice (ticket_id, department_id, kind, reason, issued_by_id, deadline_id, issued_at)
SELECT k.ticket_id, k.department_id, 'supervise', '超期：' || n.label, NULL, k.id, k.due_at
FROM gen_clock k JOIN gen_kind n ON n.kind = k.kind
WHERE k.open_until > k.due_at AND k.department_id IS NOT NULL
"""

# Outbox rows, each once per cause (the key), all delivered except those written in the last minute.
OUTBOX = """
INSERT INTO tickets_outbox (kind, key, ticket_id, department_id, heads_only, text, created_at, delivered_at)
SELECT kind, key, ticket_id, department_id, heads_only, text, at,
       CASE WHEN at <= %(now)s - interval '1 minute' THEN at + interval '5 seconds' END
FROM (
  SELECT 'new_ticket' AS kind, 'intake:' || t.id AS key, t.id AS ticket_id, %(centre)s::bigint AS department_id,
         false AS heads_only, '新提交待受理' AS text, t.c AS at
    FROM gen_t t WHERE t.channel <> 'phone'
  UNION ALL
  SELECT 'new_ticket', 'new:' || d.ticket_id || ':' || CASE WHEN d.role = 'co' THEN d.id - 1 ELSE d.id END || ':'
         || d.department_id, d.ticket_id, d.department_id, false, '新工单', d.dispatched_at
    FROM gen_dispatch d
  UNION ALL
  SELECT 'co_reply', 'co_reply:' || d.id, d.ticket_id, t.lead, false, '协办单位已答复', d.replied_at
    FROM gen_dispatch d JOIN gen_t t ON t.id = d.ticket_id WHERE d.role = 'co' AND d.replied_at IS NOT NULL
  UNION ALL
  SELECT 'sent_back', 'sent_back:' || (%(reply0)s + (t.i - 1) * 2), t.id, t.lead, false, '工单被退回重办', t.t_sb
    FROM gen_t t WHERE t.did_sb
  UNION ALL
  SELECT 'bad_review', 'bad_review:' || (%(rect0)s + t.i), t.id, coalesce(t.lead, %(centre)s), false,
         '差评待整改', t.t_sv FROM gen_t t WHERE t.outcome = 'bad' AND t.did_sv
  UNION ALL
  SELECT 'warning', 'warning:' || k.id, k.ticket_id, k.department_id, false, n.label || '即将超期', k.warn_at
    FROM gen_clock k JOIN gen_kind n ON n.kind = k.kind
   WHERE k.open_until > k.warn_at AND k.warn_at <= k.due_at AND k.department_id IS NOT NULL
  UNION ALL
  SELECT 'breach', 'breach:' || k.id, k.ticket_id, k.department_id, true, n.label || '已超期', k.due_at
    FROM gen_clock k JOIN gen_kind n ON n.kind = k.kind
   WHERE k.open_until > k.due_at AND k.department_id IS NOT NULL
) o ORDER BY at
"""

# outbox_deliver's in-app notifications: a department's handlers and heads (heads only for a breach); the centre's
# operators and reviewers. Read after an hour, except the last two days'. Written from the outbox rows the same
# statement inserts (batches run side by side: another batch's rows must not be read).
OUTBOX_NOTIFICATIONS = (
    "WITH o AS (\n"
    + OUTBOX.strip()
    + """
RETURNING id, kind, ticket_id, department_id, heads_only, text, delivered_at
)
INSERT INTO tickets_notification (user_id, outbox_id, kind, ticket_id, text, created_at, read_at)
SELECT u.id, o.id, o.kind, o.ticket_id, o.text, o.delivered_at,
       CASE WHEN o.delivered_at < %(now)s - interval '2 days' THEN o.delivered_at + interval '1 hour' END
FROM o
JOIN org_department d ON d.id = o.department_id
JOIN org_user u ON u.department_id = d.id AND u.is_active
 AND u.role = ANY(CASE WHEN d.kind = 'centre' THEN CASE WHEN o.heads_only THEN ARRAY['reviewer']
                                                        ELSE ARRAY['operator', 'reviewer'] END
                       ELSE CASE WHEN o.heads_only THEN ARRAY['head'] ELSE ARRAY['head', 'handler'] END END)
WHERE o.delivered_at IS NOT NULL
ORDER BY o.id, u.id
"""
)

# The numbers already issued on the batch's first day by the batches before it, counted from the tickets' indexes
# (times are start + (i - 1) * step, the PLAN's own expression), not read from the table: batches run side by side.
ISSUED = """
CREATE TEMP TABLE gen_issued AS
SELECT day, count(*)::int AS issued
FROM (SELECT ((%(start)s::timestamptz + (j - 1) * %(step)s::interval) AT TIME ZONE 'Asia/Shanghai')::date AS day
        FROM generate_series(greatest(1, %(first)s - %(day_span)s), %(first)s - 1) j) d
WHERE day = ((%(start)s::timestamptz + (%(first)s - 1) * %(step)s::interval) AT TIME ZONE 'Asia/Shanghai')::date
GROUP BY day
"""

SMS = """
INSERT INTO tickets_smsmessage (key, phone, text, ticket_id, state, attempts, next_attempt_at, last_error, created_at,
    sent_at)
SELECT 'survey:' || r.id, r.evaluator_phone, '12345热线：请对工单' || t.number || '的办理情况进行评价', r.ticket_id,
       CASE WHEN r.opened_at <= %(now)s - interval '1 minute' THEN 'sent' ELSE 'pending' END,
       CASE WHEN r.opened_at <= %(now)s - interval '1 minute' THEN 1 ELSE 0 END, r.opened_at, '', r.opened_at,
       CASE WHEN r.opened_at <= %(now)s - interval '1 minute' THEN r.opened_at + interval '10 seconds' END
FROM reviews_surveyround r JOIN tickets_ticket t ON t.id = r.ticket_id
WHERE r.id >= %(round0)s + (%(first)s - 1) * 2 AND r.id < %(round0)s + %(last)s * 2 AND r.evaluator_phone <> ''
"""


def _max_id(cursor, table: str) -> int:
    cursor.execute(f"SELECT coalesce(max(id), 0) FROM {table}")  # the bulk tables' names, constants
    return int(cursor.fetchone()[0])


def _secondary(cursor) -> list[tuple[str, str, str, str]]:
    """(table, name, DDL to recreate) of the bulk tables' indexes, unique constraints and foreign keys (not the
    primary keys): built once after a large load instead of maintained row by row."""
    cursor.execute(
        "SELECT c.conrelid::regclass::text, c.conname,"
        " 'ALTER TABLE ' || c.conrelid::regclass || ' ADD CONSTRAINT ' || quote_ident(c.conname) || ' '"
        " || pg_get_constraintdef(c.oid), c.contype"
        " FROM pg_constraint c WHERE c.conrelid::regclass::text = ANY(%s) AND c.contype IN ('f', 'u')",
        [BULK_TABLES],
    )
    constraints = [(t, n, d, k) for t, n, d, k in cursor.fetchall()]
    cursor.execute(
        "SELECT tablename, indexname, indexdef FROM pg_indexes WHERE tablename = ANY(%s) AND indexname NOT IN"
        " (SELECT conname FROM pg_constraint WHERE contype IN ('p', 'u'))",
        [BULK_TABLES],
    )
    indexes = [(t, n, d, "i") for t, n, d in cursor.fetchall()]
    return constraints + indexes


def _drop(cursor, secondary: list) -> None:
    for table, name, _ddl, kind in sorted(secondary, key=lambda s: s[3] != "f"):  # foreign keys first
        if kind == "i":
            cursor.execute(f'DROP INDEX IF EXISTS "{name}"')
        else:
            cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT IF EXISTS "{name}"')


def _build(cursor, secondary: list, say, workers: int = 1) -> None:
    """The indexes and unique constraints, then the foreign keys. With several workers the indexes are built side by
    side, the largest first (a GIN index is built by one process), and each foreign key is added unchecked (a moment
    under its two tables' locks) then checked side by side (``VALIDATE CONSTRAINT`` locks neither table against the
    others' checks)."""
    cursor.execute("SELECT relname, pg_table_size(oid) FROM pg_class WHERE relname = ANY(%s)", [BULK_TABLES])
    sizes = dict(cursor.fetchall())
    longest = sorted((s for s in secondary if s[3] != "f"), key=lambda s: ("USING gin" in s[2], sizes.get(s[0], 0)))
    indexes = longest[::-1]
    keys = [s for s in secondary if s[3] == "f"]
    if workers == 1:
        cursor.execute("SET maintenance_work_mem = '1GB'")
        cursor.execute("SET max_parallel_maintenance_workers = 2")
        for _table, name, ddl, _kind in indexes + keys:
            _timed(cursor, ddl, f"built {name}", say)
        return
    built, attach = [], []
    for table, name, ddl, kind in indexes:
        _head, unique, columns = ddl.partition(" UNIQUE (")
        if kind == "u" and unique:  # as an index (a constraint would lock the table against the other builds)
            built.append((f'CREATE UNIQUE INDEX "{name}" ON {table} ({columns}', name))
            attach.append(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" UNIQUE USING INDEX "{name}"')
        else:
            built.append((ddl, name))
    _side_by_side(workers, [partial(_ddl_in_session, ddl, f"built {name}", say) for ddl, name in built])
    for ddl in attach:
        cursor.execute(ddl)
    for _table, _name, ddl, _kind in keys:
        cursor.execute(f"{ddl} NOT VALID")
    checks = [(f'ALTER TABLE {table} VALIDATE CONSTRAINT "{name}"', name) for table, name, _ddl, _kind in keys]
    _side_by_side(workers, [partial(_ddl_in_session, sql, f"checked {name}", say) for sql, name in checks])


def _timed(cursor, sql: str, label: str, say) -> None:
    started = time.perf_counter()
    cursor.execute(sql)
    say(f"  {label} in {time.perf_counter() - started:.0f} s")


def _ddl_in_session(sql: str, label: str, say) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '1GB'")
        cursor.execute("SET max_parallel_maintenance_workers = 0")  # the other sessions use the cores
        _timed(cursor, sql, label, say)


def _batch_in_session(params: dict, say, started: float) -> None:
    with connection.cursor() as cursor:
        if not getattr(_session, "functions", False):  # a thread keeps its session until its last job
            cursor.execute(FUNCTIONS)  # pg_temp: each session its own
            _session.functions = True
        _batch(cursor, params, say, started)


_session = threading.local()


def _side_by_side(workers: int, jobs: list) -> None:
    """Run ``jobs`` in ``workers`` threads, each with its own database session (Django's connections are per
    thread), in order; the first error stops the rest and is raised."""
    pending = list(reversed(jobs))
    errors: list[BaseException] = []
    lock = threading.Lock()

    def work() -> None:
        try:
            while True:
                with lock:
                    if errors or not pending:
                        return
                    job = pending.pop()
                job()
        except BaseException as error:  # raised again in the calling thread
            with lock:
                errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, name=f"generate-{i}") for i in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]


def _days(n: int, per_day: int, now: datetime) -> tuple[datetime, timedelta]:
    step = timedelta(seconds=86400 / per_day)
    return now - step * n, step


def generate(
    n: int = DEFAULT_TICKETS,
    *,
    open_tickets: int | None = None,
    per_day: int = DEFAULT_PER_DAY,
    now: datetime | None = None,
    build_after: bool | None = None,
    vacuum: bool = True,
    workers: int | None = None,
    say=print,
) -> bool:
    """Fill the database with a centre of ``n`` tickets; returns False (and does nothing) if it already holds as many.

    ``open_tickets`` (default 2% of n) is the target count of unfinished tickets; ``build_after`` drops the bulk
    tables' secondary indexes and foreign keys and builds them once at the end (default: for 200,000 tickets and
    more); ``vacuum`` runs VACUUM ANALYZE at the end (not possible inside a transaction, e.g. a test). ``workers``
    database sessions (default: one per core, at most 4; one inside a transaction) load batches, build indexes and
    vacuum tables side by side."""
    from tickets.clock_counts import deadline_counts_compact
    from tickets.numbering import ticket_sequences_ensure

    call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM tickets_ticket")
        have = cursor.fetchone()[0]
    if have >= n:
        return False
    if have:
        raise SystemExit(f"the database holds {have} tickets, fewer than {n}: generate into an empty one")
    now = now or timezone.now()
    open_tickets = round(n * OPEN_SHARE) if open_tickets is None else open_tickets
    build_after = n >= 200_000 if build_after is None else build_after
    workers = 1 if connection.in_atomic_block else max(1, workers or min(4, os.cpu_count() or 1))
    started = time.perf_counter()
    start, step = _days(n, per_day, now)
    first_day = timezone.localtime(start).date() - timedelta(days=1)
    last_day = timezone.localdate(now) + timedelta(days=1)
    centre = _centre(range(first_day.year, last_day.year + 1))
    departments = [d[0] for d in centre["departments"]]
    long_days = min(LONG_RUN_DAYS, max(1, n / per_day - NATURAL_OPEN_DAYS - 1))
    extra = max(0.0, open_tickets - NATURAL_OPEN_DAYS * per_day)
    long_share = min(1.0, extra / max(1.0, long_days * per_day))
    with connection.cursor() as cursor:
        for name in SHARED_TABLES:  # left by a run that stopped half-way
            cursor.execute(f"DROP TABLE IF EXISTS {name}")
        cursor.execute(FUNCTIONS)
        policies = _policy_days()
        cursor.execute(
            "CREATE UNLOGGED TABLE gen_policy"
            " (kind text, urgency text, intake int, response int, reply int, survey int)"
        )
        cursor.executemany("INSERT INTO gen_policy VALUES (%s, %s, %s, %s, %s, %s)", policies)
        _due_table(cursor, first_day, last_day, {v for p in policies for v in p[2:]})
        ntext, naddress = _pools(cursor)
        cursor.execute("CREATE UNLOGGED TABLE gen_dept (did bigint PRIMARY KEY, handler bigint, head bigint)")
        cursor.executemany("INSERT INTO gen_dept VALUES (%s, %s, %s)", centre["departments"])
        cursor.execute(
            "INSERT INTO gen_dept SELECT %s, (SELECT id FROM org_user WHERE username = 'reviewer'),"
            " (SELECT id FROM org_user WHERE username = 'reviewer')",
            [centre["centre"]],
        )
        from tickets.models import Deadline

        cursor.execute("CREATE UNLOGGED TABLE gen_kind (kind text PRIMARY KEY, label text)")
        with translation.override(settings.LANGUAGE_CODE):
            labels = [(k, str(v)) for k, v in Deadline.Kind.choices]
        cursor.executemany("INSERT INTO gen_kind VALUES (%s, %s)", labels)
        say(f"setup (centre, calendar, due times, {ntext} texts' words) in {time.perf_counter() - started:.0f} s")
        secondary = _secondary(cursor) if build_after else []
        if build_after:
            _drop(cursor, secondary)
        if connection.in_atomic_block:  # (a test) no deferred checks may be pending when the trigger is switched
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        # the loader writes each ticket's department words itself (the trigger would update every ticket again)
        cursor.execute("ALTER TABLE tickets_dispatch DISABLE TRIGGER ticket_search_department")
        try:
            bases = {
                "ticket0": _max_id(cursor, "tickets_ticket"),
                "dispatch0": _max_id(cursor, "tickets_dispatch") + 1,
                "clock0": _max_id(cursor, "tickets_deadline") + 1,
                "reply0": _max_id(cursor, "tickets_reply") + 1,
                "round0": _max_id(cursor, "reviews_surveyround") + 1,
                "rect0": _max_id(cursor, "reviews_rectification"),
                "appeal0": _max_id(cursor, "reviews_appeal"),
            }
            cursor.execute("SELECT coalesce(max(id), 0) FROM tickets_caller")
            if cursor.fetchone()[0] > bases["ticket0"]:
                raise SystemExit("callers' ids run ahead of tickets': generate into an empty database")
            params = {
                **bases,
                "start": start,
                "step": step,
                "now": now,
                "ndep": len(departments),
                "departments": departments,
                "categories": centre["categories"],
                "ncat": len(centre["categories"]),
                "ntext": ntext,
                "naddress": naddress,
                "phones": max(10, n // 4),
                "long_days": long_days,
                "long_share": long_share,
                "centre": centre["centre"],
                "operator": centre["operator"],
                "reviewer": centre["reviewer"],
                "day_span": int(86400 / step.total_seconds()) + 2,  # more tickets than a day holds
                "stride": CLOCK_STRIDE,
                "reply_stride": REPLY_STRIDE,
                "surnames": SURNAMES,
                "nsurnames": len(SURNAMES),
            }
            batches = [{**params, "first": first, "last": last} for first, last in _batches(n)]
            if workers == 1:
                for batch in batches:
                    _batch(cursor, batch, say, started)
            else:  # each batch's statements run in one server process: side by side they use every core
                _side_by_side(workers, [partial(_batch_in_session, batch, say, started) for batch in batches])
        finally:
            cursor.execute("ALTER TABLE tickets_dispatch ENABLE TRIGGER ticket_search_department")
        if build_after:
            _build(cursor, secondary, say, workers)
        for table in BULK_TABLES:
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"
                f" (SELECT coalesce(max(id), 0) + 1 FROM {table}),"
                " false)"
            )
        _sequences(cursor, now)
        ticket_sequences_ensure(timezone.localdate(now))
        for name in SHARED_TABLES:
            cursor.execute(f"DROP TABLE IF EXISTS {name}")
    folded = deadline_counts_compact(batch=100_000, today=timezone.localtime(now).date())
    say(f"folded {folded} open-clock count changes")
    if vacuum:
        with connection.cursor() as cursor:
            cursor.execute("SELECT relname FROM pg_class WHERE relname = ANY(%s) ORDER BY pg_table_size(oid) DESC",
                           [BULK_TABLES])  # fmt: skip
            largest = [f"VACUUM ANALYZE {name}" for (name,) in cursor.fetchall()]
        _side_by_side(workers, [partial(_ddl_in_session, sql, sql, say) for sql in largest])
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")  # the rest: the small tables and the catalogue
    say(
        f"generated {n} tickets in {time.perf_counter() - started:.0f} s ({n / (time.perf_counter() - started):.0f} "
        "tickets/s)"
    )
    return True


def _batches(n: int) -> list[tuple[int, int]]:
    """Index ranges of BATCH tickets (a day split between two batches continues its numbers: gen_issued)."""
    return [(first, min(n, first + BATCH - 1)) for first in range(1, n + 1, BATCH)]


def _batch(cursor, params: dict, say, started: float) -> None:
    timings: list[tuple[float, str]] = []
    began = time.perf_counter()

    def run(sql: str, args: dict | None = None) -> None:
        at = time.perf_counter()
        cursor.execute(sql, args)
        timings.append((time.perf_counter() - at, sql.strip().split("\n")[0][:60]))

    for name in ("gen_plan", "gen_t", "gen_clock", "gen_dispatch", "gen_owner", "gen_issued"):
        run(f"DROP TABLE IF EXISTS {name}")
    run(PLAN, params)
    run(AT_NOW, params)
    run(
        "UPDATE gen_t SET last_at = (SELECT max(x) FROM unnest(ARRAY[c, t_take, t_disp0, t_ret, t_disp, t_sign,"
        " t_contact, t_coreply, t_reply1, t_sb, t_reply, t_sv_open, t_sv, t_ver, t_rep, t_inf, t_sv2, t_apl, t_hop,"
        " t_dec]) x WHERE x <= %(now)s)",
        params,
    )
    run("ANALYZE gen_t")
    run(CLOCKS, params)
    run("CREATE INDEX ON gen_clock (ticket_id)")
    run(DISPATCHES, params)
    run("CREATE INDEX ON gen_dispatch (ticket_id)")
    run(OWNERS, params)
    run(ISSUED, params)
    run(CALLERS, params)
    run(TICKETS, params)
    run(DISPATCH_INSERT, params)
    run(DEADLINES, params)
    run(EVENTS, params)
    run(CONTACTS, params)
    run(REPLIES, params)
    run(ROUNDS, params)
    run(ATTEMPTS, params)
    run(RECTIFICATIONS, params)
    run(APPEALS, params)
    run(NOTICES, params)
    run(OUTBOX_NOTIFICATIONS, params)
    run(SMS, params)
    if os.environ.get("GENERATE_TIMINGS"):
        for seconds, what in sorted(timings, reverse=True)[:8]:
            say(f"    {seconds:6.1f} s  {what}")
    took, count = time.perf_counter() - began, params["last"] - params["first"] + 1
    say(
        f"  tickets {params['first']}-{params['last']}: {took:.0f} s ({count / took:.0f} tickets/s),"
        f" {time.perf_counter() - started:.0f} s since the start"
    )


def _sequences(cursor, now: datetime) -> None:
    """Each day's number sequence, as the intakes of that day would have left it (tickets/numbering.py)."""
    cursor.execute("SELECT substr(number, 1, 8), max(substr(number, 9)::int) FROM tickets_ticket GROUP BY 1 ORDER BY 1")
    for day, issued in cursor.fetchall():
        name = f"ticket_number_{day}"
        cursor.execute(f"CREATE SEQUENCE IF NOT EXISTS {name} START WITH {issued + 1} MAXVALUE 999999")
        cursor.execute(
            f"SELECT setval('{name}', greatest(%s,"
            f" (SELECT last_value - CASE WHEN is_called THEN 0 ELSE 1 END FROM {name})))",
            [issued],
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tickets", type=int, default=DEFAULT_TICKETS)
    parser.add_argument("--per-day", type=int, default=DEFAULT_PER_DAY)
    parser.add_argument("--open", type=int, default=None, help="unfinished tickets (default 2%% of --tickets)")
    parser.add_argument("--workers", type=int, default=None, help="database sessions side by side (default: cores)")
    args = parser.parse_args()
    import subprocess

    started = time.perf_counter()
    made = generate(
        args.tickets,
        open_tickets=args.open,
        per_day=args.per_day,
        workers=args.workers,
        say=lambda *a, **k: print(*a, flush=True),
    )
    elapsed = time.perf_counter() - started
    if not made:
        print(f"the database already holds {args.tickets} tickets or more: nothing to do")
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
        print(f"database size: {cursor.fetchone()[0]}")
        cursor.execute(
            "SELECT c.relname, pg_size_pretty(pg_table_size(c.oid)), pg_size_pretty(pg_indexes_size(c.oid)),"
            " pg_size_pretty(pg_total_relation_size(c.oid)), c.reltuples::bigint FROM pg_class c"
            " JOIN pg_namespace s ON s.oid = c.relnamespace"
            " WHERE c.relkind = 'r' AND s.nspname = 'public' ORDER BY pg_total_relation_size(c.oid) DESC LIMIT 12"
        )
        print(f"{'table':32} {'table':>10} {'indexes':>10} {'total':>10} {'rows':>12}")
        for name, table, indexes, total, rows in cursor.fetchall():
            print(f"{name:32} {table:>10} {indexes:>10} {total:>10} {rows:>12}")
        if made:
            cursor.execute("SELECT sum(reltuples)::bigint FROM pg_class WHERE relname = ANY(%s)", [BULK_TABLES])
            rows = cursor.fetchone()[0]
            rates = f"{rows / elapsed:.0f} rows/s, {args.tickets / elapsed:.0f} tickets/s"
            print(f"{rows} rows in {elapsed:.0f} s: {rates}")
    print("load:", subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())


if __name__ == "__main__":
    main()
