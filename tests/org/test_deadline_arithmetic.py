"""Working-day arithmetic (Civil Code art. 201/203) on the calendar from the database and from the package."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest
from django.test import override_settings

from org.calendar import DatabaseCalendar, PackageCalendar
from org.models import CalendarDay, CalendarYear
from org.services import calendar_year_confirm, calendar_year_seed
from tickets.deadlines import BEIJING, due_after

DISPATCHED = datetime(2026, 9, 30, 10, 0, tzinfo=BEIJING)


@pytest.fixture
def calendar_2026(db: None) -> DatabaseCalendar:
    calendar_year_seed(year=2026)
    calendar_year_seed(year=2027)
    return DatabaseCalendar()


def test_the_design_example_response_is_due_at_the_end_of_october_8(calendar_2026: DatabaseCalendar) -> None:
    due = due_after(DISPATCHED, 1, calendar_2026)
    assert due.at == datetime(2026, 10, 9, 0, 0, tzinfo=BEIJING)
    assert due.last_day == date(2026, 10, 8)


def test_the_design_example_reply_counts_the_adjusted_saturday(calendar_2026: DatabaseCalendar) -> None:
    due = due_after(DISPATCHED, 5, calendar_2026)
    assert due.at == datetime(2026, 10, 14, 0, 0, tzinfo=BEIJING)  # Saturday 10-10 is a working day


def test_a_start_on_a_holiday_counts_from_the_next_working_day(calendar_2026: DatabaseCalendar) -> None:
    due = due_after(datetime(2026, 10, 3, 15, 0, tzinfo=BEIJING), 1, calendar_2026)
    assert due.last_day == date(2026, 10, 8)


def test_a_start_late_in_the_evening_utc_is_counted_from_the_beijing_day(calendar_2026: DatabaseCalendar) -> None:
    # 2026-09-29 17:00 UTC is 2026-09-30 01:00 in Beijing: the start day is the 30th, as in the design example.
    utc_start = datetime(2026, 9, 29, 17, 0, tzinfo=UTC)
    assert due_after(utc_start, 5, calendar_2026).at == datetime(2026, 10, 14, tzinfo=BEIJING)


def test_a_year_is_provisional_until_the_admin_confirms_it(calendar_2026: DatabaseCalendar, calendar_admin) -> None:
    assert due_after(DISPATCHED, 5, DatabaseCalendar()).provisional
    calendar_year_confirm(year=2026, actor=calendar_admin)
    assert not due_after(DISPATCHED, 5, DatabaseCalendar()).provisional


def test_a_period_that_reaches_into_an_unconfirmed_year_is_provisional(calendar_2026, calendar_admin) -> None:
    calendar_year_confirm(year=2026, actor=calendar_admin)
    due = due_after(datetime(2026, 12, 29, 9, 0, tzinfo=BEIJING), 5, DatabaseCalendar())
    assert due.last_day.year == 2027
    assert due.provisional


def test_an_admin_edit_of_the_calendar_changes_the_deadline(calendar_2026: DatabaseCalendar) -> None:
    # The admin declares Thursday 2026-10-08 a day off (e.g. a local typhoon holiday): the response moves to the 9th.
    CalendarDay.objects.create(year_id=2026, date=date(2026, 10, 8), kind=CalendarDay.Kind.HOLIDAY, name="台风停工")
    assert due_after(DISPATCHED, 1, DatabaseCalendar()).last_day == date(2026, 10, 9)


def test_a_year_nobody_entered_uses_statutory_holidays_and_is_provisional(db: None) -> None:
    assert not CalendarYear.objects.filter(year=2031).exists()
    due = due_after(datetime(2031, 9, 30, 10, 0, tzinfo=BEIJING), 1, DatabaseCalendar())
    assert due.provisional
    assert due.last_day > date(2031, 10, 3)  # National Day 10-01..10-03 is statutory in any year


@pytest.mark.parametrize("year", [1900, 2101, 2500, 9998])
def test_the_calendar_never_raises_for_a_year_it_does_not_know(db: None, year: int) -> None:
    due = due_after(datetime(year, 3, 2, 10, 0, tzinfo=BEIJING), 5, DatabaseCalendar())
    assert due.provisional
    assert due.last_day.weekday() < 5


@override_settings(HOTLINE_CLOSE_OF_BUSINESS=time(17, 30))
def test_a_configured_close_of_business_ends_the_period_that_evening(calendar_2026: DatabaseCalendar) -> None:
    from django.conf import settings

    due = due_after(DISPATCHED, 1, calendar_2026, close_of_business=settings.HOTLINE_CLOSE_OF_BUSINESS)
    assert due.at == datetime(2026, 10, 8, 17, 30, tzinfo=BEIJING)


def test_zero_working_days_is_refused() -> None:
    with pytest.raises(ValueError):
        due_after(DISPATCHED, 0, PackageCalendar())


def test_a_naive_start_is_refused() -> None:
    with pytest.raises(ValueError):
        due_after(datetime(2026, 9, 30, 10, 0), 1, PackageCalendar())
