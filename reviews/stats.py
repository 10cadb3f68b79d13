"""The statutory rates of DESIGN.md section 5, for a period and a department subtree, computed from rows.

Every rate is a numerator and a denominator counted in the database (never hand-entered, never loaded into Python).
A review found untrue (不属实) on appeal leaves every rate.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Count, F, Q
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


@dataclass(frozen=True)
class Rate:
    numerator: int
    denominator: int

    @property
    def value(self) -> float | None:
        return round(self.numerator / self.denominator, 4) if self.denominator else None


def _period(start: date, end: date) -> tuple[datetime, datetime]:
    """From 00:00 of ``start`` to 24:00 of ``end`` (both inclusive), Beijing time."""
    return datetime.combine(start, time(0), BEIJING), datetime.combine(end + timedelta(days=1), time(0), BEIJING)


def _in(department: Department | None, field: str = "department") -> Q:
    return Q(**{f"{field}__path__startswith": department.path}) if department else Q()


def _clock(kind: str, department: Department | None, since: datetime, until: datetime) -> Rate:
    """Clocks that ended in the period: met in it, or still open when their due time in it passed."""
    now = timezone.now()
    ended = (
        Deadline.objects.filter(_in(department), kind=kind)
        .exclude(state=Deadline.State.SUPERSEDED)
        .filter(
            Q(state=Deadline.State.MET, met_at__gte=since, met_at__lt=until)
            | Q(state=Deadline.State.OPEN, due_at__gte=since, due_at__lt=min(until, now))
        )
    )
    counts = ended.aggregate(total=Count("id"), on_time=Count("id", filter=Q(met_at__lte=F("due_at"))))
    return Rate(counts["on_time"], counts["total"])


def rates(*, department: Department | None, start: date, end: date) -> dict[str, Rate]:
    since, until = _period(start, end)
    rounds = SurveyRound.objects.filter(_in(department)).exclude(state=SurveyRound.State.CANCELLED)
    opened = rounds.filter(opened_at__gte=since, opened_at__lt=until).aggregate(
        total=Count("id"), surveyed=Count("id", filter=Q(state__in=["answered", "unreachable"]))
    )
    answered = rounds.filter(state="answered", untrue=False, answered_at__gte=since, answered_at__lt=until)
    survey = answered.aggregate(
        total=Count("id"),
        satisfied=Count("id", filter=Q(rating__gte=3)),
        solved=Count("id", filter=Q(solved=True)),
        bad_real_name=Count("id", filter=Q(rating__lte=2, ticket__anonymous=False)),
        called_back=Count(
            "id", filter=Q(rating__lte=2, ticket__anonymous=False, rectification__verified_at__isnull=False)
        ),
    )
    rectifications = Rectification.objects.filter(
        _in(department), opened_at__gte=since, opened_at__lt=until, round__untrue=False
    ).aggregate(
        total=Count("id"),
        on_time=Count(
            "id", filter=Q(reported_at__isnull=False, reported_at__lte=F("report_due_at")) & ~Q(report_type="")
        ),
    )
    return {
        "on_time_response": _clock("response", department, since, until),
        "on_time_completion": _clock("reply", department, since, until),
        "survey_rate": Rate(opened["surveyed"], opened["total"]),
        "satisfaction": Rate(survey["satisfied"], survey["total"]),
        "resolution": Rate(survey["solved"], survey["total"]),
        "rectification": Rate(rectifications["on_time"], rectifications["total"]),
        "real_name_bad_review_callback": Rate(survey["called_back"], survey["bad_real_name"]),
    }
