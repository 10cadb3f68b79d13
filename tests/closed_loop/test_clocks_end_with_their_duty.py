"""A clock ends when its duty ends: whatever finishes a ticket ends its clocks, and nothing breaches afterwards."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from hotline.errors import DomainError
from tests.closed_loop.conftest import owned, work
from tests.factories import Actors, department, receive, ticket_in
from tickets import services, workflow
from tickets.models import Deadline, Outbox, SupervisionNotice, Ticket, TicketEvent
from tickets.sweeps import sweep_deadlines


def test_a_reply_before_any_contact_with_the_citizen_is_refused(actors: Actors) -> None:
    ticket = ticket_in(workflow.DISPATCHED, actors)
    services.ticket_sign(ticket_id=ticket.pk, actor=actors.handler)
    with pytest.raises(DomainError, match="联系"):
        services.ticket_reply(ticket_id=ticket.pk, actor=actors.handler, outcome="solved", text="已处理")
    assert Ticket.objects.get(pk=ticket.pk).status == workflow.IN_PROGRESS


def test_a_reviewer_close_ends_every_open_clock_and_nothing_breaches_later(actors: Actors, time_machine) -> None:
    ticket = ticket_in(workflow.AWAITING_SURVEY, actors)
    services.ticket_close(ticket_id=ticket.pk, actor=actors.reviewer, note="市民来电表示已解决")
    assert not Deadline.objects.filter(ticket=ticket, state__in=["open", "paused"]).exists()
    assert Deadline.objects.get(ticket=ticket, kind="survey").state == "ended"
    time_machine.move_to(timezone.now() + timedelta(days=60))
    sweep_deadlines(now=timezone.now())
    assert not TicketEvent.objects.filter(ticket=ticket, verb__endswith="_breached").exists()
    assert not SupervisionNotice.objects.filter(ticket=ticket).exists()
    assert not Outbox.objects.filter(ticket=ticket, kind="breach").exists()
    assert ticket.number not in owned(actors.reviewer) | owned(actors.operator)


def test_finishing_a_ticket_writes_one_event_that_lists_what_it_ended(actors: Actors) -> None:
    ticket = ticket_in(workflow.AWAITING_SURVEY, actors)
    services.ticket_close(ticket_id=ticket.pk, actor=actors.reviewer)
    close = ticket.events.get(verb="close")
    assert close.to_status == workflow.CLOSED and close.payload["ended_clocks"] == ["survey"]


def test_a_merged_repeat_is_closed_when_the_survey_closes_its_main_ticket(actors: Actors) -> None:
    from reviews import services as review_services

    main = ticket_in(workflow.AWAITING_SURVEY, actors)
    repeat = receive(actors)
    services.ticket_merge(ticket_id=repeat.pk, actor=actors.operator, main_number=main.number)
    review_services.ticket_survey(ticket_id=main.pk, actor=actors.operator, outcome="answered", rating=5, solved=True)
    repeat = Ticket.objects.get(pk=repeat.pk)
    assert repeat.status == workflow.CLOSED
    assert repeat.events.filter(verb="close_with_main").count() == 1
    assert not Deadline.objects.filter(ticket=repeat, state__in=["open", "paused"]).exists()


def test_a_pending_extension_is_cancelled_with_an_event_when_the_reply_is_approved(actors: Actors) -> None:
    ticket = ticket_in(workflow.IN_PROGRESS, actors, pending_extension=True)
    services.ticket_reply(ticket_id=ticket.pk, actor=actors.handler, outcome="solved", text="已处理完毕")
    services.ticket_approve_reply(ticket_id=ticket.pk, actor=actors.reviewer)
    assert ticket.extensions.get().state == "cancelled"
    assert ticket.events.filter(verb="extension_cancel").count() == 1
    assert ticket.number in work(actors.operator)["survey"]
    assert ticket.number not in work(actors.reviewer).get("extensions", [])


def test_a_late_sweep_never_warns_a_clock_it_has_already_breached(actors: Actors, time_machine) -> None:
    ticket = ticket_in(workflow.DISPATCHED, actors)
    response = Deadline.objects.get(ticket=ticket, kind="response")
    time_machine.move_to(response.due_at + timedelta(hours=1))  # the worker was down through warning and breach
    sweep_deadlines(now=timezone.now())
    verbs = list(TicketEvent.objects.filter(deadline=response).values_list("verb", flat=True))
    assert verbs == ["response_breached"]
    assert not Outbox.objects.filter(key=f"warning:{response.pk}").exists()
    sweep_deadlines(now=timezone.now())
    assert TicketEvent.objects.filter(deadline=response).count() == 1


def test_a_re_dispatch_to_another_department_ends_the_old_clocks_and_starts_new_ones(actors: Actors) -> None:
    ticket = ticket_in(workflow.RETURNED, actors)
    services.ticket_arbitrate_return(
        ticket_id=ticket.pk, actor=actors.reviewer, accept=True, department_id=department("zjj").pk
    )
    old = Deadline.objects.filter(ticket=ticket, department=department("cgj"))
    assert set(old.values_list("kind", "state")) == {("response", "ended"), ("reply", "ended")}
    new = Deadline.objects.filter(ticket=ticket, department=department("zjj"), state="open")
    assert set(new.values_list("kind", flat=True)) == {"response", "reply"}
