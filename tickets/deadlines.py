"""Working-day arithmetic (Civil Code of the PRC, art. 201 and 203). Pure: the calendar is passed in.

The day on which a clock starts is not counted; counting begins the next day; only working days count; the period
ends at 24:00 of its last working day, written as 00:00 of the following day, or at the centre's close of business.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

BEIJING = ZoneInfo("Asia/Shanghai")
ONE_DAY = timedelta(days=1)


class Calendar(Protocol):
    def is_working_day(self, day: date) -> bool: ...

    def is_confirmed(self, year: int) -> bool: ...


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
