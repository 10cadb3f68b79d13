"""Open clocks counted by department, kind and day, kept by the database, so that the overdue dashboard answers in the
same time at any size (issue 17): its cost follows neither the closed history nor the number of lit clocks.

What the dashboard asks (supervision/dashboard.py, with the lights of tickets.lights): per department and kind, the
open clocks past their warning time at ``now`` (lit), and among them those due at or before a few instants (``now``
for red, and the midnights that bound the 1/3/7-working-day overdue ages). Both are prefix counts of open clocks over
one time axis each: F_due(X) = open clocks with due_at <= X, F_warn(X) = open clocks with warn_at <= X.

How they are kept:
- Triggers on tickets_deadline (migration 0022, one set for PostgreSQL and one for SQLite) append a change row to
  ``DeadlineCountDelta``, in the transaction that changes a clock: -1 for the (department, kind, due day, warning day)
  a clock leaves when it stops being open or its times or department change, +1 for the one it enters. Every path is
  covered, services, bulk updates, the calendar's recomputation and raw SQL alike; the sweep's warned_at/breached_at
  marks change nothing the counts read and fire nothing. Bulk inserts and deletes write one row per cell (statement
  triggers with transition tables on PostgreSQL). No row is ever updated by an intake or a dispatch: appending never
  waits for another transaction, so there is no hot counter row to serialise intake on.
- ``deadline_counts_compact`` (beat, every minute) folds the changes into ``DeadlineCount``, one cell per (department,
  kind, axis, day): it claims a batch of changes with ``FOR UPDATE SKIP LOCKED``, deletes them and adds their sums to
  the cells with one upsert each (``ON CONFLICT … DO UPDATE SET clocks = clocks + excluded.clocks``, in key order), in
  one transaction, so a reader sees each change either pending or folded, never both or neither; two compactions never
  wait on each other's changes. Days more than ``KEEP_DAYS`` before today are merged into one cell per department, kind
  and axis (``merged``): the dashboard never asks about them separately, and the cells read stay a few per day for the
  last ``KEEP_DAYS`` days, however old the oldest open clock. Deletes on the change table are refused on PostgreSQL
  outside a compaction (``hotline.compacting``), and updates everywhere.
- ``lit_counts`` answers in one statement: for an instant X of day D, F(X) = the cells of days before D + the pending
  changes of days before D + the open clocks of day D up to X, counted exactly from the partial indexes of open clocks
  by due time and by warning time (a day's worth of clocks at most). Open clocks that warn only after they are due (a
  fixed last day set before the clock started; normally none) are taken back out of the lit counts from their own
  partial index, so the numbers are exactly those of the lights at any ``now``. If a question reaches into days that a
  compaction has merged (a ``now`` far in the past), it returns None and the caller counts from the clocks.

Days are Beijing dates at a fixed +8 hours on every backend (the same in the triggers and here); the overdue ages'
boundaries are Beijing midnights, so their exact part is the clocks due at that very instant.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from datetime import timezone as dt_timezone
from typing import Any

from django.db import connection, connections, router, transaction
from django.utils import timezone

from tickets.models import DeadlineCount, DeadlineCountDelta

DAY_ZONE = dt_timezone(timedelta(hours=8))  # the triggers' "+8 hours": Beijing without the 1986-91 summer times
KEEP_DAYS = 40  # days kept one by one before today: the 7-working-day age boundary never reaches back this far
BATCH = 10_000

Cell = tuple[int, str, str, date]  # unit (department id, 0 for none), kind, axis, day


def day_of(at: datetime) -> date:
    """The day a clock's time falls in, as the triggers compute it."""
    return at.astimezone(DAY_ZONE).date()


def start_of(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=DAY_ZONE)


@dataclass(frozen=True)
class LitCount:
    unit: int  # department id, 0 for the clocks of no department
    kind: str
    lit: int  # open and past the warning time at ``now``
    due_by: tuple[int, ...]  # of those, due at or before each instant asked (each at or before ``now``)


# Per department and kind: c0 the lit clocks at now (%(now)s); c1..c4 those of them due at or before x1..x4. Each F
# is the folded cells of the days before the instant's day (d0..d4), the pending changes of those days, and the open
# clocks of the instant's own day up to it (s0..s4: that day's start), from the partial indexes of open clocks.
LIT_SQL = """
WITH cells (unit, kind, c0, c1, c2, c3, c4) AS (
  SELECT unit, kind,
         CASE WHEN axis = 'warn' AND day < %(d0)s THEN clocks ELSE 0 END,
         CASE WHEN axis = 'due' AND day < %(d1)s THEN clocks ELSE 0 END,
         CASE WHEN axis = 'due' AND day < %(d2)s THEN clocks ELSE 0 END,
         CASE WHEN axis = 'due' AND day < %(d3)s THEN clocks ELSE 0 END,
         CASE WHEN axis = 'due' AND day < %(d4)s THEN clocks ELSE 0 END
    FROM tickets_deadlinecount WHERE day < %(d0)s
  UNION ALL
  SELECT unit, kind,
         CASE WHEN warn_day < %(d0)s THEN delta ELSE 0 END,
         CASE WHEN due_day < %(d1)s THEN delta ELSE 0 END,
         CASE WHEN due_day < %(d2)s THEN delta ELSE 0 END,
         CASE WHEN due_day < %(d3)s THEN delta ELSE 0 END,
         CASE WHEN due_day < %(d4)s THEN delta ELSE 0 END
    FROM tickets_deadlinecountdelta
  UNION ALL
  SELECT coalesce(department_id, 0), kind, 1, 0, 0, 0, 0 FROM tickets_deadline
   WHERE state = 'open' AND warn_at >= %(s0)s AND warn_at <= %(now)s
  UNION ALL
  SELECT coalesce(department_id, 0), kind, 0, 1, 0, 0, 0 FROM tickets_deadline
   WHERE state = 'open' AND due_at >= %(s1)s AND due_at <= %(x1)s
  UNION ALL
  SELECT coalesce(department_id, 0), kind, 0, 0, 1, 0, 0 FROM tickets_deadline
   WHERE state = 'open' AND due_at >= %(s2)s AND due_at <= %(x2)s
  UNION ALL
  SELECT coalesce(department_id, 0), kind, 0, 0, 0, 1, 0 FROM tickets_deadline
   WHERE state = 'open' AND due_at >= %(s3)s AND due_at <= %(x3)s
  UNION ALL
  SELECT coalesce(department_id, 0), kind, 0, 0, 0, 0, 1 FROM tickets_deadline
   WHERE state = 'open' AND due_at >= %(s4)s AND due_at <= %(x4)s
  UNION ALL
  -- Due but not yet warning (warns after it is due): counted by F_due, not lit, so taken back out. Only the partial
  -- index of such clocks (deadline_open_warns_late, normally empty) answers this: no range on warn_at is offered.
  SELECT coalesce(department_id, 0), kind, 0,
         CASE WHEN due_at <= %(x1)s AND warn_at > %(now)s THEN -1 ELSE 0 END,
         CASE WHEN due_at <= %(x2)s AND warn_at > %(now)s THEN -1 ELSE 0 END,
         CASE WHEN due_at <= %(x3)s AND warn_at > %(now)s THEN -1 ELSE 0 END,
         CASE WHEN due_at <= %(x4)s AND warn_at > %(now)s THEN -1 ELSE 0 END
    FROM tickets_deadline WHERE state = 'open' AND warn_at > due_at AND due_at <= %(now)s
)
SELECT unit, kind, SUM(c0), SUM(c1), SUM(c2), SUM(c3), SUM(c4) FROM cells GROUP BY unit, kind
"""


def lit_counts(now: datetime, due_by: Sequence[datetime]) -> list[LitCount] | None:
    """Per department and kind, the lit clocks at ``now`` and those of them due by each of the four instants
    ``due_by`` (each at or before ``now``), from the maintained counts; None when a compaction merged days the question
    needs (ask the clocks instead)."""
    assert len(due_by) == 4 and all(x <= now for x in due_by)
    if DeadlineCount.objects.filter(merged=True, day__gte=min([day_of(now), *map(day_of, due_by)])).exists():
        return None
    reader = connections[router.db_for_read(DeadlineCount)]  # a replica for the supervisors' pages (hotline.replicas)
    at, on = reader.ops.adapt_datetimefield_value, reader.ops.adapt_datefield_value
    params: dict[str, Any] = {"now": at(now), "d0": on(day_of(now)), "s0": at(start_of(day_of(now)))}
    for i, x in enumerate(due_by, start=1):
        params |= {f"x{i}": at(x), f"d{i}": on(day_of(x)), f"s{i}": at(start_of(day_of(x)))}
    with reader.cursor() as cursor:
        cursor.execute(LIT_SQL, params)
        rows = cursor.fetchall()
    return [LitCount(unit=r[0], kind=r[1], lit=int(r[2]), due_by=tuple(int(x) for x in r[3:])) for r in rows]


def deadline_counts_compact(*, today: date | None = None, batch: int = BATCH) -> int:
    """Fold the pending count changes into the per-day cells, a batch per transaction, and merge the days older than
    ``KEEP_DAYS``; returns the changes folded. Safe to run twice at once (SKIP LOCKED claims, additive upserts)."""
    merge_day = (today or day_of(timezone.now())) - timedelta(days=KEEP_DAYS)
    total = 0
    while True:
        folded = _compact_batch(merge_day, batch)
        total += folded
        if folded < batch:
            break
    _merge_days_before(merge_day)
    return total


@transaction.atomic
def _compact_batch(merge_day: date, batch: int) -> int:
    allow_change_deletes()
    rows = list(
        DeadlineCountDelta.objects.select_for_update(skip_locked=True)
        .order_by("pk")
        .values_list("pk", "unit", "kind", "due_day", "warn_day", "delta")[:batch]
    )
    if not rows:
        return 0
    cells: dict[Cell, int] = defaultdict(int)
    merged: set[Cell] = set()
    for _pk, unit, kind, due_day, warn_day, delta in rows:
        for axis, day in (("due", due_day), ("warn", warn_day)):
            cell = (unit, kind, axis, max(day, merge_day))
            cells[cell] += delta
            if day < merge_day:
                merged.add(cell)
    DeadlineCountDelta.objects.filter(pk__in=[r[0] for r in rows]).delete()
    _add(cells, merged)
    return len(rows)


@transaction.atomic
def _merge_days_before(merge_day: date) -> None:
    old = list(
        DeadlineCount.objects.select_for_update(skip_locked=True)
        .filter(day__lt=merge_day)
        .values_list("pk", "unit", "kind", "axis", "clocks")
    )
    if not old:
        return
    cells: dict[Cell, int] = defaultdict(int)
    for _pk, unit, kind, axis, clocks in old:
        cells[(unit, kind, axis, merge_day)] += clocks
    DeadlineCount.objects.filter(pk__in=[r[0] for r in old]).delete()
    _add(cells, set(cells))


def _add(cells: dict[Cell, int], merged: set[Cell]) -> None:
    """Add to each cell, creating it if new, in key order (two compactions lock cells in the same order); drop the
    cells that reach zero."""
    rows = [
        (unit, kind, axis, connection.ops.adapt_datefield_value(day), clocks, (unit, kind, axis, day) in merged)
        for (unit, kind, axis, day), clocks in sorted(cells.items())
        if clocks or (unit, kind, axis, day) in merged
    ]
    with connection.cursor() as cursor:
        cursor.executemany(
            "INSERT INTO tickets_deadlinecount (unit, kind, axis, day, clocks, merged) VALUES (%s, %s, %s, %s, %s, %s)"
            " ON CONFLICT (unit, kind, axis, day) DO UPDATE SET clocks = tickets_deadlinecount.clocks"
            " + excluded.clocks, merged = tickets_deadlinecount.merged OR excluded.merged",
            rows,
        )
    DeadlineCount.objects.filter(clocks=0, merged=False).delete()


def allow_change_deletes() -> None:
    """Tell the change table's guard (PostgreSQL) that this transaction folds what it deletes."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL hotline.compacting = 'on'")
