"""The supervisors' overdue dashboard: red (overdue) and yellow (past the warning time) open clocks.

The lights are those of ``tickets.lights``, the one definition every page uses. The numbers are read from the
open-clock counts that the database keeps per department, kind and day as clocks change (``tickets.clock_counts``,
whose docstring gives the design): one statement whose cost follows neither the closed history nor the number of lit
clocks, only the departments, the kinds and the last weeks' days. A ``now`` older than the counts' merged days is
answered from the clocks themselves (``_rows_from_clocks``), with the same numbers. The lists behind a number are
read live from the clocks (``overdue_list``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from hotline.inputs import ascii_int
from org.calendar import DatabaseCalendar, calendar_kept
from org.models import Department
from tickets.clock_counts import LitCount, lit_counts
from tickets.lights import lit_q, overdue_by_more_than, red_q, yellow_q
from tickets.models import Deadline

GROUPS = {
    "intake": ("intake",),  # the centre's own: submissions not yet taken in
    "response": ("response",),
    "reply": ("reply",),
    "rectification": ("rect_response", "rect_reply", "ledger"),
    "survey": ("survey",),
}
BUCKETS = {"1": (0, 1), "3": (1, 3), "7": (3, 7), "more": (7, None)}  # overdue by … working days (low, high]


@dataclass
class Counts:
    red: int = 0
    yellow: int = 0


@dataclass
class Dashboard:
    by_group: dict[str, Counts] = field(default_factory=dict)
    by_bucket: dict[str, int] = field(default_factory=dict)
    by_department: list[tuple[Department, Counts]] = field(default_factory=list)


def _bucket_q(now: datetime, key: str, calendar: DatabaseCalendar) -> Q:
    """Among open clocks: those overdue by more than ``low`` and at most ``high`` working days (as the lists count
    them). Only ``due_at`` is read, so the dashboard's count is answered from its index alone."""
    low, high = BUCKETS[key]
    q = Q(due_at__lte=overdue_by_more_than(low, calendar, now) if low else now)
    return q & Q(due_at__gt=overdue_by_more_than(high, calendar, now)) if high is not None else q


def dashboard(now: datetime | None = None, *, within: Department | None = None) -> Dashboard:
    """Red and yellow open clocks by group, age and department (rolled up), for the city or one unit's subtree."""
    now = now or timezone.now()
    calendar = calendar_kept()
    # The instants that bound red and the ages: a lit clock due at or before bounds[b] is overdue by more than b days.
    bounds = {low: overdue_by_more_than(low, calendar, now) if low else now for low, _high in BUCKETS.values()}
    lows = sorted(bounds)
    counts = lit_counts(now, [bounds[low] for low in lows])
    rows = _rows_from_clocks(now, bounds) if counts is None else counts
    departments = Department.objects.exclude(kind="centre").order_by("path")
    if within is not None:
        departments = departments.filter(path__startswith=within.path)
    paths = {d.pk: d.path for d in departments}
    result = Dashboard(by_group={g: Counts() for g in GROUPS}, by_bucket=dict.fromkeys(BUCKETS, 0))
    per_department: dict[int, Counts] = {}
    for row in rows:
        if not row.lit or (within is not None and row.unit not in paths):  # nothing lit: listed nowhere
            continue
        due_by = dict(zip(lows, row.due_by, strict=True))
        red, yellow = due_by[0], row.lit - due_by[0]
        group = next(g for g, kinds in GROUPS.items() if row.kind in kinds)
        result.by_group[group].red += red
        result.by_group[group].yellow += yellow
        for key, (low, high) in BUCKETS.items():
            result.by_bucket[key] += due_by[low] - (due_by[high] if high is not None else 0)
        if row.unit:
            counts_of = per_department.setdefault(row.unit, Counts())
            counts_of.red += red
            counts_of.yellow += yellow
    totals: dict[str, Counts] = {}
    for department_id, sums in per_department.items():  # add each unit's counts to itself and every unit above
        path = paths.get(department_id, "")
        for depth in range(1, len(path) // Department.steplen + 1):
            total = totals.setdefault(path[: depth * Department.steplen], Counts())
            total.red += sums.red
            total.yellow += sums.yellow
    result.by_department = [(d, totals[d.path]) for d in departments if d.path in totals]
    return result


def _rows_from_clocks(now: datetime, bounds: dict[int, datetime]) -> list[LitCount]:
    """The same counts from the open clocks themselves (a ``now`` older than the counts' merged days; the tests'
    reference): one grouped count over the partial index of open clocks by warning time."""
    lows = sorted(bounds)
    rows = (
        Deadline.objects.filter(lit_q(now))
        .values("kind", "department_id")
        .annotate(
            lit=Count("due_at"), **{f"d{low}": Count("due_at", filter=Q(due_at__lte=bounds[low])) for low in lows}
        )
    )
    result = []
    for values in rows:
        row: dict[str, Any] = dict(values)
        due_by = tuple(row[f"d{low}"] for low in lows)
        result.append(LitCount(unit=row["department_id"] or 0, kind=row["kind"], lit=row["lit"], due_by=due_by))
    return result


def overdue_cursor(after: str) -> tuple[datetime, int]:
    """The (due time, id) that a list's ``after`` link continues from; ValueError for a link that is not one."""
    raw_due, _sep, raw_pk = after.partition("_")
    due = parse_datetime(raw_due)  # ValueError too when well-formed but impossible (2026-13-45)
    pk = ascii_int(raw_pk)
    if due is None or pk is None:
        raise ValueError(f"not a list position: {after!r}")
    return due, pk


def overdue_list(params: Any, *, now: datetime | None = None, page: int = 50) -> tuple[list[Deadline], str | None]:
    """The clocks behind a dashboard number, soonest first, keyset-paged by (due_at, id); the pages check ``after``
    with ``overdue_cursor`` first (ValueError here)."""
    clocks = overdue_queryset(params, now=now)
    if params.get("after"):
        due, pk = overdue_cursor(params["after"])
        clocks = clocks.filter(Q(due_at__gt=due) | Q(due_at=due, pk__gt=pk))
    rows = list(clocks.select_related("ticket", "department").order_by("due_at", "pk")[: page + 1])
    if len(rows) <= page:
        return rows, None
    rows = rows[:page]
    return rows, f"{rows[-1].due_at.isoformat()}_{rows[-1].pk}"


def overdue_queryset(params: Any, *, now: datetime | None = None) -> QuerySet[Deadline]:
    """The open clocks a dashboard number stands for (light, clock group, age bucket, department subtree)."""
    now = now or timezone.now()
    clocks: QuerySet[Deadline] = Deadline.objects.filter(
        red_q(now) if params.get("light", "red") == "red" else yellow_q(now)
    )
    if params.get("group") in GROUPS:
        clocks = clocks.filter(kind__in=GROUPS[params["group"]])
    if params.get("bucket") in BUCKETS:
        clocks = clocks.filter(_bucket_q(now, params["bucket"], calendar_kept()))
    department = Department.objects.filter(pk=params.get("department") or 0).first()
    if department is not None:
        clocks = clocks.filter(department__path__startswith=department.path)
    return clocks
