"""Properties of the working-day arithmetic, checked with hypothesis over 2024–2027.

The oracle for the real calendar is the holidays package's own get_nth_working_day, written independently of ours.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import holidays
from hypothesis import given, settings
from hypothesis import strategies as st

from org.calendar import PackageCalendar
from tickets.deadlines import BEIJING, Corrections, due_after, working_days_between

CALENDAR = PackageCalendar()
ORACLE = holidays.country_holidays("CN", years=range(2023, 2029))
starts = st.datetimes(min_value=datetime(2024, 1, 1), max_value=datetime(2027, 12, 31, 23, 59)).map(
    lambda d: d.replace(tzinfo=BEIJING)
)
lengths = st.integers(min_value=1, max_value=30)


class WeekendsOnly:
    def is_working_day(self, day: date) -> bool:
        return day.weekday() < 5

    def is_confirmed(self, year: int) -> bool:
        return True

    def corrections(self, year: int) -> Corrections:
        return Corrections()


@given(starts, lengths)
@settings(max_examples=300, deadline=None)
def test_the_last_day_agrees_with_the_holidays_package(start: datetime, n: int) -> None:
    assert due_after(start, n, CALENDAR).last_day == ORACLE.get_nth_working_day(start.date(), n)


@given(starts, lengths)
@settings(max_examples=300, deadline=None)
def test_the_period_never_ends_on_a_non_working_day(start: datetime, n: int) -> None:
    due = due_after(start, n, CALENDAR)
    assert CALENDAR.is_working_day(due.last_day)
    assert due.at == datetime.combine(due.last_day + timedelta(days=1), time(0), tzinfo=BEIJING)


@given(starts, lengths)
@settings(max_examples=200, deadline=None)
def test_more_working_days_never_end_earlier(start: datetime, n: int) -> None:
    assert due_after(start, n + 1, CALENDAR).at > due_after(start, n, CALENDAR).at


@given(starts, st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=20)), lengths)
@settings(max_examples=200, deadline=None)
def test_a_later_start_never_ends_earlier(start: datetime, delay: timedelta, n: int) -> None:
    assert due_after(start + delay, n, CALENDAR).at >= due_after(start, n, CALENDAR).at


@given(starts, lengths)
@settings(max_examples=200, deadline=None)
def test_exactly_n_working_days_lie_between_start_and_end(start: datetime, n: int) -> None:
    due = due_after(start, n, CALENDAR)
    days = [start.date() + timedelta(days=i) for i in range(1, (due.last_day - start.date()).days + 1)]
    assert sum(CALENDAR.is_working_day(d) for d in days) == n


@given(starts.filter(lambda d: d.weekday() < 5), st.integers(min_value=1, max_value=8))
@settings(max_examples=200, deadline=None)
def test_without_holidays_five_working_days_are_one_week(start: datetime, weeks: int) -> None:
    due = due_after(start, 5 * weeks, WeekendsOnly())
    assert due.last_day == start.date() + timedelta(weeks=weeks)
    assert not due.provisional


@given(starts, lengths)
@settings(max_examples=200, deadline=None)
def test_without_holidays_the_count_matches_a_plain_weekday_count(start: datetime, n: int) -> None:
    due = due_after(start, n, WeekendsOnly())
    span = range(1, (due.last_day - start.date()).days + 1)
    assert sum((start.date() + timedelta(days=i)).weekday() < 5 for i in span) == n
    assert due.last_day.weekday() < 5


def _working_days_one_by_one(first: date, last: date, calendar) -> int:
    return sum(calendar.is_working_day(first + timedelta(days=k)) for k in range(1, (last - first).days + 1))


@given(
    st.dates(min_value=date(2019, 1, 1), max_value=date(2029, 12, 31)),
    st.integers(min_value=-10, max_value=1500),
    st.sampled_from([CALENDAR, WeekendsOnly()]),
)
@settings(max_examples=300, deadline=None)
def test_working_days_between_counts_what_a_day_by_day_count_does(first: date, span: int, calendar) -> None:
    """The arithmetic count (weekdays, corrected by each year's holidays and adjusted working days) equals walking
    the days one by one, across years, 调休 and spans of years (a clock overdue for long)."""
    last = first + timedelta(days=span)
    assert working_days_between(first, last, calendar) == max(_working_days_one_by_one(first, last, calendar), 0)
