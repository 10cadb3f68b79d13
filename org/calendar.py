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

from org.models import CalendarDay, CalendarYear
from org.reference import reference_read
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
    """Statutory holidays and adjusted working days of ``year`` from the maintained ``holidays`` package (a copy: the
    caller may keep or change it)."""
    shared = _package_schedule(year)
    return YearSchedule(overrides=dict(shared.overrides), names=dict(shared.names))


# The package's years, worked out once per process with what a count needs of them: they depend on the installed
# package alone, and cost it about 4 ms a year (a queue whose oldest clock is years overdue asks for every year since).
# Calendars read these without copying and never change them; ``package_schedule`` hands out copies.
_package_years: dict[int, tuple[YearSchedule, Corrections]] = {}


def _package_schedule(year: int) -> YearSchedule:
    if year not in _package_years:
        try:
            overrides, names = _package_year(year)
        except Exception:  # the calendar must answer for any year; weekends alone are the last resort (not kept)
            logger.exception("holidays package failed for %s; using weekends only", year)
            return YearSchedule()
        _package_years[year] = (YearSchedule(overrides, names), Corrections.of(overrides))
    return _package_years[year][0]


def _package_year(year: int) -> tuple[dict[date, bool], dict[date, str]]:
    china = holidays.country_holidays("CN", years=year, language="zh_CN")
    names = {day: str(name) for day, name in china.items() if day.year == year}
    overrides = dict.fromkeys(names, False)
    for day in getattr(china, "weekend_workdays", set()):
        if day.year == year:
            overrides[day] = True
            names[day] = ADJUSTED_WORKDAY_NAME
    return overrides, names


class PackageCalendar:
    """Calendar straight from the package, every year provisional. Used for years missing from the database."""

    def __init__(self) -> None:
        self._years: dict[int, YearSchedule] = {}
        self._corrections: dict[int, Corrections] = {}

    def schedule(self, year: int) -> YearSchedule:
        if year not in self._years:
            self._years[year] = _package_schedule(year)
        return self._years[year]

    def is_working_day(self, day: date) -> bool:
        return self.schedule(day.year).overrides.get(day, day.weekday() < 5)

    def is_confirmed(self, year: int) -> bool:
        return self.schedule(year).confirmed

    def corrections(self, year: int) -> Corrections:
        if year not in self._corrections:
            schedule, package = self.schedule(year), _package_years.get(year)
            if package is not None and package[0] is schedule:  # the package's year: counted once per process
                self._corrections[year] = package[1]
            else:
                self._corrections[year] = Corrections.of(schedule.overrides)
        return self._corrections[year]


class DatabaseCalendar(PackageCalendar):
    """Calendar from CalendarYear/CalendarDay rows, cached for the object's life: which years have rows is asked once,
    then each year with rows costs a query for its days; other years come from the package without a query."""

    def __init__(self) -> None:
        super().__init__()
        self._stored: dict[int, bool] | None = None  # {year: confirmed} of the years that have rows

    def schedule(self, year: int) -> YearSchedule:
        if year not in self._years:
            if self._stored is None:
                self._stored = dict(CalendarYear.objects.values_list("year", "confirmed"))
            if year not in self._stored:
                self._years[year] = _package_schedule(year)
            else:
                days = list(CalendarDay.objects.filter(year_id=year).order_by("date"))
                self._years[year] = YearSchedule(
                    overrides={d.date: d.kind == d.Kind.WORKDAY for d in days},
                    names={d.date: d.name for d in days},
                    confirmed=self._stored[year],
                )
        return self._years[year]


def unconfirmed_years(today: date | None = None) -> list[int]:
    """This year and next year, where the admin has not confirmed the official schedule yet."""
    today = today or timezone.localdate()
    wanted = [today.year, today.year + 1]
    confirmed = set(CalendarYear.objects.filter(year__in=wanted, confirmed=True).values_list("year", flat=True))
    return [year for year in wanted if year not in confirmed]


def calendar_kept() -> DatabaseCalendar:
    """The ``DatabaseCalendar`` this process keeps while the calendar's rows are unchanged (org/reference.py), in a
    write or on a page: one query for the stamp instead of the calendar's two, with its years worked out once. A
    queue page asks it for every overdue row."""
    calendar: DatabaseCalendar = reference_read(("calendar",), DatabaseCalendar)
    return calendar
