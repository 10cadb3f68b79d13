"""Confirming or editing a calendar year recomputes the open clocks that depend on it; recorded breaches stay."""

from __future__ import annotations

from datetime import date, datetime, time

from org.calendar import DatabaseCalendar
from org.models import AuditEntry, CalendarDay
from org.services import calendar_year_seed
from tests.factories import Actors, department, receive
from tickets import services
from tickets.deadlines import BEIJING
from tickets.lights import overdue_working_days
from tickets.models import Deadline
from tickets.services.calendar import calendar_confirm, calendar_days_changed


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=BEIJING)


def _dispatched_on(actors: Actors, time_machine, when: str):
    time_machine.move_to(at(when), tick=False)
    ticket = receive(actors)
    services.ticket_dispatch(ticket_id=ticket.pk, actor=actors.operator, department_id=department("cgj").pk)
    return ticket


def test_a_holiday_added_by_the_admin_moves_the_open_reply_deadline(actors: Actors, time_machine) -> None:
    calendar_year_seed(year=2026)
    ticket = _dispatched_on(actors, time_machine, "2026-11-02T09:00")
    reply = Deadline.objects.get(ticket=ticket, kind="reply")
    assert reply.due_at == at("2026-11-10T00:00")
    CalendarDay.objects.create(year_id=2026, date=date(2026, 11, 5), kind="holiday", name="地方假日")
    changed = calendar_days_changed(
        year=2026, actor=actors.admin, changes=[{"change": "added", "date": "2026-11-05", "kind": "holiday"}]
    )
    reply.refresh_from_db()
    assert changed >= 1 and reply.due_at == at("2026-11-11T00:00")
    assert ticket.events.filter(verb="deadline_recompute").count() == 1
    assert AuditEntry.objects.filter(action="calendar_days_change", actor=actors.admin).exists()
    assert AuditEntry.objects.filter(action="deadlines_recompute").exists()


def test_confirming_a_year_removes_the_provisional_mark_from_its_open_clocks(actors: Actors, time_machine) -> None:
    calendar_year_seed(year=2027)
    ticket = _dispatched_on(actors, time_machine, "2027-03-01T09:00")
    assert Deadline.objects.get(ticket=ticket, kind="reply").provisional
    calendar_confirm(year=2027, actor=actors.admin)
    assert not Deadline.objects.get(ticket=ticket, kind="reply").provisional


def test_a_breach_already_recorded_stays_recorded_when_the_deadline_moves(actors: Actors, time_machine) -> None:
    from django.utils import timezone

    from tickets.sweeps import sweep_deadlines

    calendar_year_seed(year=2026)
    ticket = _dispatched_on(actors, time_machine, "2026-11-02T09:00")
    time_machine.move_to(at("2026-11-04T09:00"), tick=False)
    sweep_deadlines(now=timezone.now())
    response = Deadline.objects.get(ticket=ticket, kind="response")
    assert response.breached_at is not None
    CalendarDay.objects.create(year_id=2026, date=date(2026, 11, 3), kind="holiday", name="地方假日")
    calendar_days_changed(year=2026, actor=actors.admin, changes=[{"change": "added", "date": "2026-11-03"}])
    response.refresh_from_db()
    assert response.due_at == at("2026-11-05T00:00") and response.breached_at is not None


def test_overdue_working_days_count_from_the_last_day_under_both_end_rules(actors: Actors, time_machine) -> None:
    ticket = _dispatched_on(actors, time_machine, "2026-11-02T09:00")
    response = Deadline.objects.get(ticket=ticket, kind="response")  # last day Tuesday 11-03
    now = at("2026-11-04T10:00")
    midnight = overdue_working_days(response, DatabaseCalendar(), now)
    response.due_at = datetime.combine(date(2026, 11, 3), time(17, 30), BEIJING)  # close of business
    assert midnight == overdue_working_days(response, DatabaseCalendar(), now) == 1
