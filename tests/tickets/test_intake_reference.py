"""An intake keeps what it reads of the small tables the admin edits (org/reference.py): any change to them, however
made, is seen by the next intake, a rolled-back one never is, and with no stamp nothing is kept."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from hotline.errors import DomainError
from org.models import CalendarDay
from tests.factories import Actors, area, department
from tickets import services
from tickets.models import Category, DeadlinePolicy, RoutingRule, Ticket

ROOT = Path(__file__).resolve().parents[2]
FRIDAY = datetime(2026, 11, 27, 16, 30, tzinfo=ZoneInfo("Asia/Shanghai"))
READ = re.compile(r'(?:FROM|JOIN) "(\w+)"')


def intake(actors: Actors) -> Ticket:
    return services.ticket_receive_dispatch(
        actor=actors.operator,
        channel="phone",
        kind="complaint",
        content="滨江路夜市占道经营",
        category_id=Category.objects.get(code="zdjy").pk,
        area_id=area("jn").pk,
    )


def routed_to_cgj() -> RoutingRule:
    rule, _ = RoutingRule.objects.update_or_create(
        category=Category.objects.get(code="zdjy"), area=area("jn"), defaults={"lead": department("cgj")}
    )
    rule.co_departments.clear()
    return rule


def handlers(ticket: Ticket) -> list[tuple[str, str]]:
    return sorted(ticket.dispatches.values_list("department__code", "role"))


def stamp() -> Any:
    with connection.cursor() as cursor:
        cursor.execute("SELECT stamp FROM org_referencestamp WHERE id = 1")
        row = cursor.fetchone()
    return row[0] if row else None


def test_an_edit_of_the_routing_table_is_seen_by_the_next_intake(actors: Actors) -> None:
    rule = routed_to_cgj()
    assert handlers(intake(actors)) == [("cgj", "lead")]  # read and kept
    rule.lead = department("zjj")
    rule.save(update_fields=["lead"])
    assert handlers(intake(actors)) == [("zjj", "lead")]
    rule.co_departments.add(department("cgj"))  # the many-to-many table has its own trigger
    assert handlers(intake(actors)) == [("cgj", "co"), ("zjj", "lead")]


def test_a_change_made_in_sql_outside_django_is_seen_by_the_next_intake(actors: Actors) -> None:
    routed_to_cgj()
    intake(actors)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE org_department SET is_active = false WHERE code = 'cgj'")
    with pytest.raises(DomainError) as refused:
        intake(actors)
    assert refused.value.code == "invalid_department"
    with connection.cursor() as cursor:
        cursor.execute("UPDATE org_department SET is_active = true WHERE code = 'cgj'")
        cursor.execute("UPDATE tickets_category SET is_active = false WHERE code = 'zdjy'")
    with pytest.raises(DomainError) as refused:
        intake(actors)
    assert refused.value.code == "invalid_category"


def test_an_edit_that_is_rolled_back_is_never_seen_again(actors: Actors) -> None:
    rule = routed_to_cgj()
    intake(actors)
    before = stamp()

    class Undo(Exception):
        pass

    with pytest.raises(Undo), transaction.atomic():
        rule.lead = department("zjj")
        rule.save(update_fields=["lead"])
        assert handlers(intake(actors)) == [("zjj", "lead")]  # the editing transaction sees its own edit
        raise Undo
    assert stamp() == before
    assert handlers(intake(actors)) == [("cgj", "lead")]


def test_a_holiday_and_a_policy_entered_between_two_intakes_move_the_second_ones_clocks(actors: Actors) -> None:
    routed_to_cgj()

    def reply_due() -> date:
        with time_machine.travel(FRIDAY, tick=False):
            clock = intake(actors).deadlines.get(kind="reply")
        return clock.due_at.astimezone(ZoneInfo("Asia/Shanghai")).date()

    assert reply_due() == date(2026, 12, 5)  # five working days from Monday 30 November, to 24:00 on Friday 4 December
    CalendarDay.objects.create(year_id=2026, date=date(2026, 12, 1), kind=CalendarDay.Kind.HOLIDAY, name="测试")
    assert reply_due() == date(2026, 12, 8)
    DeadlinePolicy.objects.update_or_create(kind="complaint", urgency="", defaults={"reply_days": 3})
    assert reply_due() == date(2026, 12, 4)


def test_with_no_stamp_every_intake_reads_the_tables(actors: Actors) -> None:
    routed_to_cgj()
    intake(actors)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM org_referencestamp")
    with CaptureQueriesContext(connection) as queries:
        assert handlers(intake(actors)) == [("cgj", "lead")]
    read = {table for q in queries.captured_queries for table in READ.findall(q["sql"])}
    assert {"tickets_category", "org_area", "tickets_routingrule", "org_department"} <= read


def test_every_table_an_intake_reads_changes_the_stamp_with_any_statement(actors: Actors) -> None:
    """The tables read by an intake that finds nothing kept are the tables with the trigger, and every kind of
    statement on them (even one that changes no row, even TRUNCATE) gives the stamp a new number."""
    routed_to_cgj()
    intake(actors)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE org_referencestamp SET stamp = stamp + 1")
    with CaptureQueriesContext(connection) as queries:
        intake(actors)
    read = {table for q in queries.captured_queries for table in READ.findall(q["sql"])} - {"org_referencestamp"}
    with connection.cursor() as cursor:
        cursor.execute("SELECT tgrelid::regclass::text FROM pg_trigger WHERE tgname LIKE '%\\_reference'")
        triggered = {row[0] for row in cursor.fetchall()}
    assert read and read <= triggered, read - triggered
    assert triggered >= {"tickets_routingrule_co_departments", "org_calendarday", "org_calendaryear"}
    for table in sorted(triggered):
        key = pk(table)
        for statement in (f"DELETE FROM {table} WHERE false", f"UPDATE {table} SET {key} = {key}"):  # noqa: S608
            before = stamp()
            with connection.cursor() as cursor:
                cursor.execute(statement)
            assert stamp() != before, statement
    before = stamp()
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE tickets_routingrule_co_departments")
    assert stamp() != before


def pk(table: str) -> str:
    return "year" if table == "org_calendaryear" else "id"


def test_the_embedded_sqlite_database_has_the_triggers_too(tmp_path: Path) -> None:
    """``make run``'s SQLite: the migrations install row triggers there, and an edit changes the stamp."""
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'hotline.sqlite3'}", "HOTLINE_ENV": "development"}
    script = (
        "import django, os; django.setup()\n"
        "from django.core.management import call_command\n"
        "from django.db import connection\n"
        "call_command('migrate', verbosity=0)\n"
        "from tickets.models import Category\n"
        "def stamp():\n"
        "    with connection.cursor() as c:\n"
        "        c.execute('SELECT stamp FROM org_referencestamp WHERE id = 1'); return c.fetchone()[0]\n"
        "first = stamp(); Category.add_root(name='测试', code='test-category')\n"
        "second = stamp(); Category.objects.filter(code='test-category').update(is_active=False)\n"
        "third = stamp(); Category.objects.filter(code='test-category').delete()\n"
        "print(len({first, second, third, stamp()}))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "hotline.settings"},
        capture_output=True,
        text=True,
        timeout=280,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "4"
