"""The supervisors' overdue dashboard: red (overdue) and yellow (past the warning time) open clocks.

The lights are those of ``tickets.lights``, the one definition every page uses. The counts are read from the partial
index of open clocks by warning time (deadline_open_warn), so the cost follows what is lit, never the closed history.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from hotline.inputs import ascii_int
from org.calendar import DatabaseCalendar
from org.models import Department
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
    calendar = DatabaseCalendar()
    clocks = Deadline.objects.filter(lit_q(now))
    if within is not None:
        clocks = clocks.filter(department_id__in=Department.objects.filter(path__startswith=within.path).values("pk"))
    rows = (
        clocks.values("kind", "department_id")
        # Among the lit clocks (past the warning time) red is due, yellow not yet (tickets.lights). The filters read
        # due_at only and count a column of the index (never null), not id: PostgreSQL answers from the index alone.
        .annotate(
            red=Count("due_at", filter=Q(due_at__lte=now)),
            yellow=Count("due_at", filter=Q(due_at__gt=now)),
            **{f"b{key}": Count("due_at", filter=_bucket_q(now, key, calendar)) for key in BUCKETS},
        )
    )
    result = Dashboard(by_group={g: Counts() for g in GROUPS}, by_bucket=dict.fromkeys(BUCKETS, 0))
    per_department: dict[int, Counts] = {}
    for values in rows:
        row: dict[str, Any] = dict(values)
        group = next(g for g, kinds in GROUPS.items() if row["kind"] in kinds)
        result.by_group[group].red += row["red"]
        result.by_group[group].yellow += row["yellow"]
        for key in BUCKETS:
            result.by_bucket[key] += row[f"b{key}"]
        if row["department_id"]:
            counts = per_department.setdefault(row["department_id"], Counts())
            counts.red += row["red"]
            counts.yellow += row["yellow"]
    departments = Department.objects.exclude(kind="centre").order_by("path")
    if within is not None:
        departments = departments.filter(path__startswith=within.path)
    paths = {d.pk: d.path for d in departments}
    totals: dict[str, Counts] = {}
    for department_id, counts in per_department.items():  # add each unit's counts to itself and every unit above
        path = paths.get(department_id, "")
        for depth in range(1, len(path) // Department.steplen + 1):
            total = totals.setdefault(path[: depth * Department.steplen], Counts())
            total.red += counts.red
            total.yellow += counts.yellow
    result.by_department = [(d, totals[d.path]) for d in departments if d.path in totals]
    return result


def overdue_list(params: Any, *, now: datetime | None = None, page: int = 50) -> tuple[list[Deadline], str | None]:
    """The clocks behind a dashboard number, soonest first, keyset-paged by (due_at, id)."""
    clocks = overdue_queryset(params, now=now)
    if params.get("after"):
        raw_due, _sep, pk = params["after"].partition("_")
        try:
            due = parse_datetime(raw_due)
        except ValueError:  # well-formed but impossible (2026-13-45)
            due = None
        if due is not None and ascii_int(pk) is not None:
            clocks = clocks.filter(Q(due_at__gt=due) | Q(due_at=due, pk__gt=int(pk)))
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
        clocks = clocks.filter(_bucket_q(now, params["bucket"], DatabaseCalendar()))
    department = Department.objects.filter(pk=params.get("department") or 0).first()
    if department is not None:
        clocks = clocks.filter(department__path__startswith=department.path)
    return clocks
