"""A confidential caller (保密) is never shown to a department: not on the page, the print view or the API."""

from __future__ import annotations

import json

from tests.factories import Actors, department, receive
from tests.tickets.record_helpers import api_detail, ticket_page
from tickets import services


def _confidential(actors: Actors) -> str:
    ticket = receive(actors, kind="report", confidential=True, caller_name="李举报", caller_phone="13900001111")
    services.ticket_dispatch(ticket_id=ticket.pk, actor=actors.operator, department_id=department("cgj").pk)
    return ticket.number


def test_the_department_sees_no_trace_of_a_confidential_caller(actors: Actors) -> None:
    number = _confidential(actors)
    for body in (ticket_page(actors.handler, number), ticket_page(actors.handler, number, "print/")):
        assert "李" not in body and "1390" not in body and "1111" not in body
        assert "保密" in body
    assert "1111" not in json.dumps(api_detail(actors.handler, number))


def test_the_centre_still_sees_the_confidential_caller(actors: Actors) -> None:
    number = _confidential(actors)
    assert "李*" in ticket_page(actors.operator, number)
