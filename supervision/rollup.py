"""The monthly rollup: every department's rates per month, recomputed for the open months, read by rankings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from org.models import Department
from supervision.models import MonthlyRollup
from supervision.rates import RATE_NAMES, month_period, rates_by_department, subtree_sum
from tickets.models import Ticket

RANKED = RATE_NAMES  # every rate can be ranked


def month_start(day: date) -> date:
    return day.replace(day=1)


def previous_month(month: date) -> date:
    return month_start(month - timedelta(days=1))


def departments() -> list[Department]:
    return list(Department.objects.filter(kind__in=["city_department", "district"]).order_by("path"))


@transaction.atomic
def rollup_month(month: date) -> int:
    """Recompute one month for every ranked department (subtree figures), replacing its rows: five grouped queries."""
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
    rank: int | None  # competition ranking: equal values share a rank, the next rank skips (1, 2, 2, 4)
    previous_numerator: int | None
    previous_denominator: int | None
    previous_value: float | None
    previous_rank: int | None
    bottom_again: bool  # at the bottom value this month and the month before: 连续两个月排名末位
    includes_children: bool  # a subtree row: the unit with all its child units

    @property
    def percent(self) -> float | None:
        return None if self.value is None else round(self.value * 100, 1)

    @property
    def previous_percent(self) -> float | None:
        return None if self.previous_value is None else round(self.previous_value * 100, 1)


@dataclass
class _Month:
    rows: dict[int, MonthlyRollup]
    ranks: dict[int, int]
    bottom: float | None  # the lowest value, when the month has at least two different values (else nobody is last)


def competition_ranks(values: dict[int, float]) -> dict[int, int]:
    """Rank 1 for the highest value; equal values share a rank and the next one skips: 1, 2, 2, 4."""
    ordered = sorted(values.values(), reverse=True)
    first: dict[float, int] = {}
    for position, value in enumerate(ordered, start=1):
        first.setdefault(value, position)
    return {key: first[value] for key, value in values.items()}


def _month(month: date, rate: str) -> _Month:
    rows = {
        r.department_id: r for r in MonthlyRollup.objects.filter(month=month, rate=rate).select_related("department")
    }
    values = {pk: r.value for pk, r in rows.items() if r.value is not None}
    distinct = set(values.values())
    return _Month(rows, competition_ranks(values), min(distinct) if len(distinct) > 1 else None)


def ranking(month: date, rate: str) -> list[Ranked]:
    """Every ranked department on ``rate`` for ``month``, with last month's figure and rank; a department with nothing
    counted (0 of 0) has no rank. The mark for the bottom two months running goes to every department at the bottom
    value in both months, so ties are never decided by sort order."""
    now, before = _month(month, rate), _month(previous_month(month), rate)
    result = []
    for department_id, row in now.rows.items():
        prev = before.rows.get(department_id)
        value, prev_value = row.value, prev.value if prev else None
        result.append(
            Ranked(
                department=row.department,
                numerator=row.numerator,
                denominator=row.denominator,
                value=value,
                rank=now.ranks.get(department_id),
                previous_numerator=prev.numerator if prev else None,
                previous_denominator=prev.denominator if prev else None,
                previous_value=prev_value,
                previous_rank=before.ranks.get(department_id),
                bottom_again=value is not None
                and value == now.bottom
                and prev_value is not None
                and prev_value == before.bottom,
                includes_children=row.department.numchild > 0,
            )
        )
    return sorted(result, key=lambda r: (r.rank is None, r.rank or 0, r.department.path))
