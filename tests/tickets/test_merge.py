"""A repeat (重复件) keeps its own number and caller, points at the main ticket, and follows it to closure."""

from __future__ import annotations

from tests.factories import Actors, receive, ticket_in
from tickets import services, workflow
from tickets.models import Ticket


def test_a_repeat_is_closed_when_its_main_ticket_is_closed(actors: Actors) -> None:
    main = ticket_in(workflow.AWAITING_SURVEY, actors)
    repeat = receive(actors, caller_phone="13900009999")
    services.ticket_merge(ticket_id=repeat.pk, actor=actors.operator, main_number=main.number)
    repeat.refresh_from_db()
    assert repeat.status == workflow.MERGED and repeat.merged_into == main
    assert repeat.caller is not None and repeat.caller.phone == "13900009999" and repeat.number != main.number
    services.ticket_close(ticket_id=main.pk, actor=actors.reviewer, note="回访满意")
    repeat = Ticket.objects.get(pk=repeat.pk)
    assert repeat.status == workflow.CLOSED
    assert repeat.events.filter(verb="close_with_main", payload__main=main.number).count() == 1
    assert main.events.filter(verb="merge_repeat").count() == 1
