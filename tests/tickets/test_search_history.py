"""A department finds the tickets it handled before: one it returned and the centre sent elsewhere stays findable,
read only, with the caller masked."""

from __future__ import annotations

from tests.factories import Actors, department, ticket_in
from tests.tickets.record_helpers import ticket_page
from tests.tickets.search_helpers import found
from tickets import services, workflow


def test_a_returned_and_redispatched_ticket_stays_in_the_departments_search_and_history(actors: Actors) -> None:
    ticket = ticket_in(workflow.RETURNED, actors)
    services.ticket_arbitrate_return(
        ticket_id=ticket.pk, actor=actors.reviewer, accept=True, note="改派", department_id=department("zjj").pk
    )
    assert found(actors.handler, q="占道") == [ticket.number]
    body = ticket_page(actors.handler, ticket.number)
    assert "不属于本单位职责" in body and "138****5678" in body and "显示号码" not in body
    assert 'data-action="sign"' not in body
