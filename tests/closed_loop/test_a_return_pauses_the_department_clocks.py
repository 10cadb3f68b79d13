"""A returned ticket's department clocks wait for the centre: no warning, breach or 督办 for the centre's delay."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone

from tests.closed_loop.conftest import work
from tests.factories import Actors, department, receive
from tickets import services
from tickets.deadlines import BEIJING
from tickets.models import Deadline, SupervisionNotice, TicketEvent
from tickets.sweeps import sweep_deadlines


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=BEIJING)


def _returned_on_monday(actors: Actors, time_machine):
    time_machine.move_to(at("2026-11-02T09:00"), tick=False)  # Monday
    ticket = receive(actors)
    services.ticket_dispatch(ticket_id=ticket.pk, actor=actors.operator, department_id=department("cgj").pk)
    time_machine.move_to(at("2026-11-02T15:00"), tick=False)
    services.ticket_return(ticket_id=ticket.pk, actor=actors.handler, reason="不属于本单位职责范围")
    return ticket


def test_a_returned_tickets_clocks_neither_warn_nor_breach_while_the_centre_decides(
    actors: Actors, time_machine
) -> None:
    ticket = _returned_on_monday(actors, time_machine)
    assert set(Deadline.objects.filter(ticket=ticket).values_list("kind", "state")) >= {
        ("response", "paused"),
        ("reply", "paused"),
    }
    assert ticket.number in work(actors.reviewer)["returns"]
    time_machine.move_to(at("2026-11-20T09:00"), tick=False)  # the centre took weeks
    sweep_deadlines(now=timezone.now())
    assert not TicketEvent.objects.filter(ticket=ticket, verb__regex=r"_(warned|breached)$").exists()
    assert not SupervisionNotice.objects.filter(ticket=ticket).exists()


def test_a_rejected_return_resumes_the_clocks_with_the_working_time_they_had_left(actors: Actors, time_machine) -> None:
    ticket = _returned_on_monday(actors, time_machine)
    before = dict(Deadline.objects.filter(ticket=ticket, state="paused").values_list("kind", "due_at"))
    assert before["response"] == at("2026-11-04T00:00")  # end of Tuesday
    time_machine.move_to(at("2026-11-04T10:00"), tick=False)  # Wednesday: two working days (Tue, Wed) passed
    services.ticket_arbitrate_return(ticket_id=ticket.pk, actor=actors.reviewer, accept=False, note="属于贵单位职责")
    after = dict(Deadline.objects.filter(ticket=ticket, state="open").values_list("kind", "due_at"))
    assert after["response"] == at("2026-11-06T00:00")  # end of Thursday: Tuesday's day given back after Wednesday
    assert after["reply"] == before["reply"] + timedelta(days=2)  # 11-09 24:00 → 11-11 24:00, no weekend crossed
    assert ticket.number in work(actors.handler)["sign"]
    event = ticket.events.get(verb="arbitrate_return")
    assert event.payload["resumed"] == ["reply", "response"]
