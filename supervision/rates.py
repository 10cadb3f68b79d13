"""The statutory rates of DESIGN.md section 5, for a period and a department subtree, as of an instant.

Every rate is a numerator and a denominator counted in the database from facts that carry their own timestamps, so
the same question asked later (with the same ``as_of``) has the same answer:

- response 按时响应率 and completion 按期办结率: a clock counts in the period of its due date, once, when it was due by
  ``as_of``; on time when met at or before its due time. A clock that ended without its duty by ``as_of`` (the ticket
  finished, re-dispatched away, superseded by an approved extension) is not counted, nor is a clock that a return
  paused (it either resumes with a later due time, counted then, or ends with the re-dispatch).
- survey 回访率 counts tickets whose survey clock was due in the period, surveyed (answered or closed unreachable) by
  ``as_of``; a reviewer's close without a survey ends the clock and counts as not surveyed.
- satisfaction, resolution and the real-name callback rate count the answers given in the period; rectification
  counts the report clocks due in it.
- A rating found untrue (不属实) by an appeal upheld by ``as_of`` leaves every rate, the survey rate included.

Each rate is one query grouped by department over an index on the due (or answer) time that includes every column the
count reads (so PostgreSQL answers it from the index alone, and only the period's rows are touched however long the
history). Where a count needs a fact of another row, the row carries a copy written by the service that writes the
fact (a survey clock: its round's rated department and untrue time; a rectification: its round's untrue time; a bad
review: its ticket's anonymity and its rectification's verification time), so no rate looks up a row per row counted.
A subtree's figure is the sum of its departments' rows, added up by walking the materialised paths (``subtree_sum``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from org.models import Department
from reviews.models import Rectification, SurveyRound
from tickets.deadlines import BEIJING
from tickets.models import Deadline

RATE_NAMES = (
    "on_time_response",
    "on_time_completion",
    "survey_rate",
    "satisfaction",
    "resolution",
    "rectification",
    "real_name_bad_review_callback",
)

Rows = dict[int | None, dict[str, "Rate"]]  # department id (None: no department) -> rate name -> Rate


@dataclass(frozen=True)
class Rate:
    numerator: int
    denominator: int

    @property
    def value(self) -> float | None:
        return round(self.numerator / self.denominator, 4) if self.denominator else None

    def __add__(self, other: Rate) -> Rate:
        return Rate(self.numerator + other.numerator, self.denominator + other.denominator)


ZERO = Rate(0, 0)


def period(start: date, end: date) -> tuple[datetime, datetime]:
    """From 00:00 of ``start`` to 24:00 of ``end`` (both inclusive), Beijing time."""
    return datetime.combine(start, time(0), BEIJING), datetime.combine(end + timedelta(days=1), time(0), BEIJING)


def month_period(month: date) -> tuple[date, date]:
    first = month.replace(day=1)
    return first, (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)


def _valid(as_of: datetime, prefix: str = "") -> Q:
    """Not found untrue by ``as_of``: an appeal upheld later leaves the rating in the figures asked as of before."""
    return Q(**{f"{prefix}untrue_at__isnull": True}) | Q(**{f"{prefix}untrue_at__gt": as_of})


def _live(as_of: datetime, prefix: str = "") -> Q:
    """Neither ended nor superseded by ``as_of``."""
    return (Q(**{f"{prefix}ended_at__isnull": True}) | Q(**{f"{prefix}ended_at__gt": as_of})) & (
        Q(**{f"{prefix}superseded_at__isnull": True}) | Q(**{f"{prefix}superseded_at__gt": as_of})
    )


def _due(since: datetime, until: datetime, as_of: datetime, field: str) -> Q:
    return Q(**{f"{field}__gte": since, f"{field}__lt": until, f"{field}__lte": as_of})


def _scoped(queryset: QuerySet, within: Department | None, field: str = "department_id") -> QuerySet:
    if within is None:
        return queryset
    subtree = Department.objects.filter(path__startswith=within.path).values("pk")
    return queryset.filter(**{f"{field}__in": subtree})


def _grouped(queryset: QuerySet, *keys: str, **counts: Count) -> list[dict]:
    return list(queryset.values(*(keys or ("department_id",))).annotate(**counts).order_by())


def _clock_rows(since: datetime, until: datetime, as_of: datetime, within: Department | None) -> list[dict]:
    """Response and reply clocks together, by kind and department (two ranges of one index)."""
    kinds = [Deadline.Kind.RESPONSE, Deadline.Kind.REPLY]
    clocks = Deadline.objects.filter(_due(since, until, as_of, "due_at"), _live(as_of), kind__in=kinds, paused_at=None)
    good = Count("due_at", filter=Q(met_at__lte=F("due_at")))
    return _grouped(_scoped(clocks, within), "kind", "department_id", total=Count("*"), good=good)


def _survey_rows(since: datetime, until: datetime, as_of: datetime, within: Department | None) -> list[dict]:
    """Tickets (not rounds) whose survey clock was due; a ticket is surveyed when every such clock was met by then.

    Read from the survey clocks alone: each carries its round's rated department and untrue time (copies written with
    the round and by the upheld appeal; every survey clock is opened with its round)."""
    clocks = Deadline.objects.filter(
        _due(since, until, as_of, "due_at"),
        _valid(as_of),
        Q(superseded_at__isnull=True) | Q(superseded_at__gt=as_of),
        kind=Deadline.Kind.SURVEY,
    )
    missed = ~Q(met_at__lte=as_of)
    rows = _grouped(
        _scoped(clocks, within, "rated_department_id"),
        "rated_department_id",
        total=Count("ticket_id", distinct=True),
        missed=Count("ticket_id", distinct=True, filter=missed),
    )
    return [
        {"department_id": row["rated_department_id"], "total": row["total"], "good": row["total"] - row["missed"]}
        for row in rows
    ]


def _answer_rows(since: datetime, until: datetime, as_of: datetime, within: Department | None) -> list[dict]:
    answers = SurveyRound.objects.filter(
        _due(since, until, as_of, "answered_at"), _valid(as_of), state=SurveyRound.State.ANSWERED
    )
    return _grouped(
        _scoped(answers, within),
        total=Count("*"),
        satisfied=Count("answered_at", filter=Q(rating__gte=3)),
        solved=Count("answered_at", filter=Q(solved=True)),
    )


def _callback_rows(since: datetime, until: datetime, as_of: datetime, within: Department | None) -> list[dict]:
    """Real-name bad reviews answered in the period, and those whose verification call was made by then: the round
    carries copies of its ticket's anonymity and of its rectification's verification time."""
    bad = SurveyRound.objects.filter(
        _due(since, until, as_of, "answered_at"),
        _valid(as_of),
        state=SurveyRound.State.ANSWERED,
        rating__lte=2,
        anonymous=False,
    )
    return _grouped(_scoped(bad, within), total=Count("*"), good=Count("answered_at", filter=Q(verified_at__lte=as_of)))


def _rectification_rows(since: datetime, until: datetime, as_of: datetime, within: Department | None) -> list[dict]:
    # untrue_at: the round's, copied onto the rectification by the upheld appeal (no look-up of each round).
    opened = Rectification.objects.filter(_due(since, until, as_of, "report_due_at"), _valid(as_of))
    on_time = Q(reported_at__lte=F("report_due_at")) & ~Q(report_type="")
    return _grouped(_scoped(opened, within), total=Count("*"), good=Count("report_due_at", filter=on_time))


def rates_by_department(
    *, start: date, end: date, as_of: datetime | None = None, within: Department | None = None
) -> Rows:
    """Each department's own figures (not its subtree's) for the period: five grouped queries for the seven rates."""
    as_of = as_of or timezone.now()
    since, until = period(start, end)
    args = (since, until, as_of, within)
    result: Rows = defaultdict(lambda: dict.fromkeys(RATE_NAMES, ZERO))

    def put(rows: Iterable[dict], name: str, good: str = "good", total: str = "total") -> None:
        for row in rows:
            result[row["department_id"]][name] = Rate(row[good], row[total])

    clocks = _clock_rows(*args)
    put((row for row in clocks if row["kind"] == Deadline.Kind.RESPONSE), "on_time_response")
    put((row for row in clocks if row["kind"] == Deadline.Kind.REPLY), "on_time_completion")
    put(_survey_rows(*args), "survey_rate")
    answers = _answer_rows(*args)
    put(answers, "satisfaction", good="satisfied")
    put(answers, "resolution", good="solved")
    put(_rectification_rows(*args), "rectification")
    put(_callback_rows(*args), "real_name_bad_review_callback")
    return dict(result)


def total(rows: Rows) -> dict[str, Rate]:
    summed = dict.fromkeys(RATE_NAMES, ZERO)
    for figures in rows.values():
        for name, rate in figures.items():
            summed[name] = summed[name] + rate
    return summed


def subtree_sum(rows: Rows, departments: Iterable[Department]) -> dict[int, dict[str, Rate]]:
    """Each of ``departments`` with its whole subtree's figures: every row is added to its department's ancestors,
    found by cutting its materialised path (no query per department)."""
    wanted = {d.path: d.pk for d in departments}
    paths = dict(Department.objects.filter(pk__in=[pk for pk in rows if pk is not None]).values_list("pk", "path"))
    summed = {pk: dict.fromkeys(RATE_NAMES, ZERO) for pk in wanted.values()}
    step = Department.steplen
    for department_id, figures in rows.items():
        path = paths.get(department_id, "")
        for cut in range(step, len(path) + 1, step):
            target = wanted.get(path[:cut])
            if target is None:
                continue
            for name, rate in figures.items():
                summed[target][name] = summed[target][name] + rate
    return summed


def rates(*, department: Department | None, start: date, end: date, as_of: datetime | None = None) -> dict[str, Rate]:
    """One subtree's figures (or the whole city's when ``department`` is None) for the period, as of ``as_of``."""
    return total(rates_by_department(start=start, end=end, as_of=as_of, within=department))
