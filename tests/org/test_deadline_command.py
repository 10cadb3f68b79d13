"""`manage.py deadline START --working-days N` prints exactly one line."""

from __future__ import annotations

import io
from datetime import date, timedelta

import holidays
import pytest
from django.core.management import CommandError, call_command

from org.services import calendar_year_confirm, calendar_year_seed

ORACLE = holidays.country_holidays("CN", years=range(2023, 2029))


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("deadline", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def calendars(calendar_admin) -> None:
    for year in (2024, 2025, 2026, 2027):
        calendar_year_seed(year=year)
    for year in (2024, 2025, 2026):
        calendar_year_confirm(year=year, actor=calendar_admin)


def test_the_design_example_prints_one_line(calendars: None) -> None:
    assert run("2026-09-30T10:00", "--working-days", "5") == "2026-10-14T00:00:00+08:00\n"
    assert run("2026-09-30T10:00", "--working-days", "1") == "2026-10-09T00:00:00+08:00\n"


def test_an_unconfirmed_year_is_marked_provisional(calendars: None) -> None:
    assert run("2027-09-30T10:00", "--working-days", "1") == "2027-10-07T00:00:00+08:00 provisional\n"


def test_an_input_with_an_offset_is_converted_to_beijing_time_first(calendars: None) -> None:
    # 2026-09-29T20:00-04:00 is 2026-09-30 08:00 in Beijing.
    assert run("2026-09-29T20:00-04:00", "--working-days", "5") == "2026-10-14T00:00:00+08:00\n"
    # 2026-09-30T20:00Z is 2026-10-01 04:00 in Beijing: counting starts on 10-02, a holiday.
    assert run("2026-09-30T20:00Z", "--working-days", "1") == "2026-10-09T00:00:00+08:00\n"


@pytest.mark.parametrize("offset", range(0, 4 * 365, 37))
def test_any_date_in_2024_to_2027_matches_the_official_calendar(calendars: None, offset: int) -> None:
    start = date(2024, 1, 1) + timedelta(days=offset)
    for n in (1, 5):
        last = ORACLE.get_nth_working_day(start, n)
        expected = (last + timedelta(days=1)).isoformat() + "T00:00:00+08:00"
        suffix = " provisional" if last.year >= 2027 else ""
        assert run(f"{start.isoformat()}T09:30", "--working-days", str(n)) == f"{expected}{suffix}\n"


@pytest.mark.parametrize("bad", ["yesterday", "2026-13-01T10:00", "2026-09-31"])
def test_a_bad_start_is_a_clear_chinese_error(db: None, bad: str) -> None:
    with pytest.raises(CommandError, match="不是 ISO 8601 格式的日期时间"):
        run(bad, "--working-days", "1")


def test_zero_working_days_is_a_clear_chinese_error(db: None) -> None:
    with pytest.raises(CommandError, match="工作日数至少为 1"):
        run("2026-09-30T10:00", "--working-days", "0")
