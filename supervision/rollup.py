"""The monthly rollup: every department's rates per month, recomputed for the open months, read by rankings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from org.models import Department
from reviews.models import MonthlyRollup
from supervision.rates import month_period, rates_by_department, subtree_sum
from tickets.models import Ticket

RANKED = ("on_time_response", "on_time_completion", "satisfaction", "resolution", "rectification")


def month_start(day: date) -> date:
    return day.replace(day=1)


def previous_month(month: date) -> date:
    return month_start(month - timedelta(days=1))


def departments() -> list[Department]:
    return list(Department.objects.filter(kind__in=["city_department", "district"]).order_by("path"))


@transaction.atomic
def rollup_month(month: date) -> int:
    """Recompute one month for every ranked department (subtree figures), replacing its rows: six grouped queries."""
    start, end = month_period(month)
    ranked = departments()
    summed = subtree_sum(rates_by_department(start=start, end=end), ranked)
    rows = [
        MonthlyRollup(
            month=month,
            department=department,
            rate=name,
            numerator=rate.numerator,
            denominator=rate.denominator,
        )
        for department in ranked
        for name, rate in summed[department.pk].items()
    ]
    MonthlyRollup.objects.filter(month=month).delete()
    MonthlyRollup.objects.bulk_create(rows)
    return len(rows)


def rollup_current() -> list[date]:
    """What the beat task refreshes: this month and last month (late surveys and appeals still change it)."""
    this = month_start(timezone.localdate())
    for month in (previous_month(this), this):
        rollup_month(month)
    return [previous_month(this), this]


def rollup_rebuild() -> int:
    first = Ticket.objects.order_by("created_at").values_list("created_at", flat=True).first()
    if first is None:
        return 0
    month, this, count = month_start(timezone.localdate(first)), month_start(timezone.localdate()), 0
    while month <= this:
        count += rollup_month(month)
        month = month_start(month + timedelta(days=32))
    return count


@dataclass
class Ranked:
    department: Department
    numerator: int
    denominator: int
    value: float | None
    rank: int | None
    previous_value: float | None
    previous_rank: int | None
    bottom_again: bool  # last in this month and in the month before: 连续排名靠后


def _ranked(month: date, rate: str) -> dict[int, tuple[MonthlyRollup, int | None]]:
    rows = list(MonthlyRollup.objects.filter(month=month, rate=rate).select_related("department"))
    rated = sorted((r for r in rows if r.denominator), key=lambda r: -(r.value or 0))
    ranks = {r.department_id: i + 1 for i, r in enumerate(rated)}
    return {r.department_id: (r, ranks.get(r.department_id)) for r in rows}


def ranking(month: date, rate: str) -> list[Ranked]:
    now, before = _ranked(month, rate), _ranked(previous_month(month), rate)
    last_now = max((rank for _row, rank in now.values() if rank), default=None)
    last_before = max((rank for _row, rank in before.values() if rank), default=None)
    result = []
    for department_id, (row, rank) in now.items():
        prev_row, prev_rank = before.get(department_id, (None, None))
        result.append(
            Ranked(
                department=row.department,
                numerator=row.numerator,
                denominator=row.denominator,
                value=row.value,
                rank=rank,
                previous_value=prev_row.value if prev_row else None,
                previous_rank=prev_rank,
                bottom_again=bool(rank and rank == last_now and prev_rank and prev_rank == last_before),
            )
        )
    return sorted(result, key=lambda r: (r.rank is None, r.rank or 0))
