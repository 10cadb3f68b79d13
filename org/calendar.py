"""The working-day calendar: database rows first, the ``holidays`` package for years nobody has entered.

``DatabaseCalendar`` answers the two questions ``tickets.deadlines`` asks: is this a working day, and is this year's
schedule confirmed by the admin. It never raises for a year it does not know: such a year is computed from the
package's statutory holidays (or, outside the package's range, from weekends alone) and is provisional.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date

import holidays
from django.utils import timezone

from org.models import CalendarYear
from tickets.deadlines import Corrections

logger = logging.getLogger(__name__)

ADJUSTED_WORKDAY_NAME = "调休上班"


@dataclass(frozen=True)
class YearSchedule:
    """The days of one year that break the Monday–Friday rule: {date: is_working_day}."""

    overrides: dict[date, bool] = field(default_factory=dict)
    names: dict[date, str] = field(default_factory=dict)
    confirmed: bool = False


def package_schedule(year: int) -> YearSchedule:
    """Statutory holidays and adjusted working days of ``year`` from the maintained ``holidays`` package."""
    try:
        china = holidays.country_holidays("CN", years=year, language="zh_CN")
        names = {day: str(name) for day, name in china.items() if day.year == year}
        overrides = dict.fromkeys(names, False)
        for day in getattr(china, "weekend_workdays", set()):
            if day.year == year:
                overrides[day] = True
                names[day] = ADJUSTED_WORKDAY_NAME
    except Exception:  # the calendar must answer for any year; weekends alone are the last resort
        logger.exception("holidays package failed for %s; using weekends only", year)
        return YearSchedule()
    return YearSchedule(overrides=overrides, names=names)


class PackageCalendar:
    """Calendar straight from the package, every year provisional. Used for years missing from the database."""

    def __init__(self) -> None:
        self._years: dict[int, YearSchedule] = {}
        self._corrections: dict[int, Corrections] = {}

    def schedule(self, year: int) -> YearSchedule:
        if year not in self._years:
            self._years[year] = package_schedule(year)
        return self._years[year]

    def is_working_day(self, day: date) -> bool:
        return self.schedule(day.year).overrides.get(day, day.weekday() < 5)

    def is_confirmed(self, year: int) -> bool:
        return self.schedule(year).confirmed

    def corrections(self, year: int) -> Corrections:
        if year not in self._corrections:
            self._corrections[year] = Corrections.of(self.schedule(year).overrides)
        return self._corrections[year]


class DatabaseCalendar(PackageCalendar):
    """Calendar from CalendarYear/CalendarDay rows; one query per year asked, cached for the object's life."""

    def schedule(self, year: int) -> YearSchedule:
        if year not in self._years:
            row = CalendarYear.objects.filter(pk=year).first() if 1 <= year <= 9999 else None
            if row is None:
                self._years[year] = package_schedule(year)
            else:
                days = list(row.days.all())
                self._years[year] = YearSchedule(
                    overrides={d.date: d.kind == d.Kind.WORKDAY for d in days},
                    names={d.date: d.name for d in days},
                    confirmed=row.confirmed,
                )
        return self._years[year]


def unconfirmed_years(today: date | None = None) -> list[int]:
    """This year and next year, where the admin has not confirmed the official schedule yet."""
    today = today or timezone.localdate()
    wanted = [today.year, today.year + 1]
    confirmed = set(CalendarYear.objects.filter(year__in=wanted, confirmed=True).values_list("year", flat=True))
    return [year for year in wanted if year not in confirmed]
