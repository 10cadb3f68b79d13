"""The working-day calendar is data: seeded from the holidays package, editable, confirmed by the admin."""

from __future__ import annotations

from datetime import date

import time_machine
from django.core.management import call_command

from org.models import AuditEntry, CalendarDay, CalendarYear
from org.services import calendar_year_confirm, calendar_year_seed
from org.tasks import calendar_ensure_years


def test_seeding_2026_records_the_national_day_holidays_and_the_adjusted_saturday(db: None) -> None:
    row, created = calendar_year_seed(year=2026)
    assert created and not row.confirmed
    days = {d.date: d.kind for d in CalendarDay.objects.filter(year=row)}
    assert days[date(2026, 10, 1)] == CalendarDay.Kind.HOLIDAY
    assert days[date(2026, 10, 7)] == CalendarDay.Kind.HOLIDAY
    assert days[date(2026, 10, 10)] == CalendarDay.Kind.WORKDAY
    assert days[date(2026, 2, 14)] == CalendarDay.Kind.WORKDAY
    assert date(2026, 10, 9) not in days
    assert AuditEntry.objects.filter(action="calendar_year_seed", target="calendar:2026").count() == 1


def test_seeding_again_never_overwrites_what_the_admin_changed(db: None) -> None:
    calendar_year_seed(year=2026)
    CalendarDay.objects.filter(date=date(2026, 10, 10)).delete()
    _row, created = calendar_year_seed(year=2026)
    assert not created
    assert not CalendarDay.objects.filter(date=date(2026, 10, 10)).exists()


def test_confirming_a_year_records_who_and_when_in_the_audit_log(admin_user) -> None:
    calendar_year_seed(year=2027)
    row = calendar_year_confirm(year=2027, actor=admin_user)
    assert row.confirmed and row.confirmed_by == admin_user and row.confirmed_at is not None
    entry = AuditEntry.objects.get(action="calendar_year_confirm", target="calendar:2027")
    assert entry.actor == admin_user


def test_the_beat_task_seeds_this_year_and_next_when_they_are_missing(db: None) -> None:
    with time_machine.travel(date(2028, 11, 25), tick=False):
        assert calendar_ensure_years() == [2028, 2029]
        assert calendar_ensure_years() == []
    assert set(CalendarYear.objects.values_list("year", flat=True)) == {2028, 2029}


def test_the_seed_command_is_idempotent(db: None, capsys) -> None:
    call_command("calendar_seed", "2026")
    call_command("calendar_seed", "2026")
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("2026: seeded") and out[1].startswith("2026: kept")
    assert CalendarYear.objects.count() == 1


def test_a_calendar_reads_the_stored_years_once_and_each_stored_year_s_days_once(db: None) -> None:
    """A queue whose oldest clock is twenty years overdue asks for every year since: the years nobody entered come
    from the package without a query, and the entered years' own days (changed by the admin) are used."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from org.calendar import DatabaseCalendar

    calendar_year_seed(year=2026)
    CalendarDay.objects.filter(date=date(2026, 10, 10)).delete()  # the admin makes the adjusted Saturday a rest day
    CalendarYear.objects.filter(pk=2026).update(confirmed=True)
    calendar = DatabaseCalendar()
    with CaptureQueriesContext(connection) as queries:
        for year in range(2006, 2028):
            calendar.corrections(year)
        assert not calendar.is_working_day(date(2026, 10, 10))
        assert calendar.is_confirmed(2026) and not calendar.is_confirmed(2025)
        assert not calendar.is_working_day(date(2007, 10, 1))  # National Day, from the package
    assert len(queries) == 2  # which years are stored, then 2026's days


def test_the_package_s_years_are_worked_out_once_and_handed_out_as_copies(monkeypatch) -> None:
    import holidays

    from org import calendar

    calendar.package_schedule(2031)
    calls: list[int] = []

    def counted(*args: object, **kwargs: object) -> dict:
        calls.append(1)
        return {}

    monkeypatch.setattr(holidays, "country_holidays", counted)
    first = calendar.package_schedule(2031)
    first.overrides.clear()
    assert calendar.package_schedule(2031).overrides[date(2031, 10, 1)] is False
    assert calls == []


def test_every_calendar_shares_a_package_year_and_its_count_and_keeps_a_stored_year_its_own(db: None) -> None:
    """A page makes a calendar per request; the package's years (their days and the running count of the days that
    break the Monday–Friday rule) are made once per process and shared, the admin's years are read each time."""
    from org.calendar import DatabaseCalendar, PackageCalendar

    calendar_year_seed(year=2026)
    CalendarDay.objects.filter(date=date(2026, 10, 10)).delete()
    first, second, package = DatabaseCalendar(), DatabaseCalendar(), PackageCalendar()
    assert first.corrections(2031) is second.corrections(2031) is package.corrections(2031)
    assert first.schedule(2031) is second.schedule(2031)
    assert first.corrections(2026) is not package.corrections(2026)
    assert first.corrections(2026).running[-1] == package.corrections(2026).running[-1] - 1  # 10 Oct: a rest day
