"""Working-day arithmetic (Civil Code of the PRC, art. 201 and 203). Pure: the calendar is passed in.

The day on which a clock starts is not counted; counting begins the next day; only working days count; the period
ends at 24:00 of its last working day, written as 00:00 of the following day, or at the centre's close of business.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

BEIJING = ZoneInfo("Asia/Shanghai")
ONE_DAY = timedelta(days=1)


class Calendar(Protocol):
    def is_working_day(self, day: date) -> bool: ...

    def is_confirmed(self, year: int) -> bool: ...

    def corrections(self, year: int) -> Corrections:
        """The days of ``year`` that break the Monday–Friday rule, ready for counting (``Corrections.of``)."""
        ...


@dataclass(frozen=True)
class Corrections:
    """A year's days that break the Monday–Friday rule in order, with the running sum of what each adds to a count
    of weekdays (+1 an adjusted working day at a weekend, -1 a holiday on a weekday)."""

    days: tuple[date, ...] = ()
    running: tuple[int, ...] = (0,)

    @classmethod
    def of(cls, overrides: Mapping[date, bool]) -> Corrections:
        days, running = [], [0]
        for day in sorted(overrides):
            working = overrides[day]
            if working != (day.weekday() < 5):
                days.append(day)
                running.append(running[-1] + (1 if working else -1))
        return cls(tuple(days), tuple(running))

    def between(self, first: date, last: date) -> int:
        """What the days after ``first`` up to ``last`` add."""
        return self.through(last) - self.through(first)

    def through(self, day: date) -> int:
        """What the year's days up to ``day`` add."""
        return self.running[bisect_right(self.days, day)]

    def after(self, day: date) -> int:
        """What the year's days after ``day`` add."""
        return self.running[-1] - self.through(day)


@dataclass(frozen=True)
class Due:
    at: datetime  # aware, Beijing time
    last_day: date  # the last working day of the period
    provisional: bool  # the result depends on a year whose official schedule is not confirmed


def nth_working_day_after(start_day: date, working_days: int, calendar: Calendar) -> date:
    """The ``working_days``-th working day after ``start_day`` (which itself is never counted)."""
    if working_days < 1:
        raise ValueError("working_days must be at least 1")
    day, counted = start_day, 0
    while counted < working_days:
        day += ONE_DAY
        if calendar.is_working_day(day):
            counted += 1
    return day


def _weekdays_through(day: date) -> int:
    """Mondays to Fridays from 1 January of year 1 (a Monday) through ``day``."""
    weeks, rest = divmod(day.toordinal(), 7)
    return 5 * weeks + min(rest, 5)


def working_days_between(first: date, last: date, calendar: Calendar) -> int:
    """Working days after ``first`` up to and including ``last`` (0 when ``last`` is not later): the weekdays by
    arithmetic, corrected by the days that break the rule (a binary search in the first and the last year, each whole
    year between adding its total), so a clock overdue for years costs about what one overdue for days does."""
    if last <= first:
        return 0
    count = _weekdays_through(last) - _weekdays_through(first)
    if first.year == last.year:
        return count + calendar.corrections(first.year).between(first, last)
    count += calendar.corrections(first.year).after(first) + calendar.corrections(last.year).through(last)
    for year in range(first.year + 1, last.year):  # whole years between: each adds all of its corrections
        count += calendar.corrections(year).running[-1]
    return count


def end_of(last_day: date, close_of_business: time | None = None) -> datetime:
    """When a period whose last day is ``last_day`` ends: 24:00 (00:00 of the next day) or the close of business."""
    if close_of_business is None:
        return datetime.combine(last_day + ONE_DAY, time(0), tzinfo=BEIJING)
    return datetime.combine(last_day, close_of_business, tzinfo=BEIJING)


def due_after(start: datetime, working_days: int, calendar: Calendar, *, close_of_business: time | None = None) -> Due:
    """When a period of ``working_days`` working days that starts at ``start`` (aware) ends."""
    if start.tzinfo is None:
        raise ValueError("start must be an aware datetime")
    start_day = start.astimezone(BEIJING).date()
    last_day = nth_working_day_after(start_day, working_days, calendar)
    at = end_of(last_day, close_of_business)
    years = range((start_day + ONE_DAY).year, last_day.year + 1)
    provisional = not all(calendar.is_confirmed(year) for year in years)
    return Due(at=at, last_day=last_day, provisional=provisional)
