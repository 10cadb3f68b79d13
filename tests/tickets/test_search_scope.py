"""Each kind of query finds the ticket for the centre and for the holding department, and nothing for another."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from org.models import User
from tests.factories import Actors, department, receive
from tests.tickets.search_helpers import found
from tickets import services

QUERIES = {
    "full number": lambda number: number,
    "start of the number": lambda number: number[:10],
    "phone": lambda number: "13812345678",
    "caller name": lambda number: "王先生",
    "word of the content": lambda number: "占道",
    "word of the address": lambda number: "滨江路",
}


@pytest.fixture
def ticket_number(actors: Actors) -> str:
    with time_machine.travel(timezone.now() - timedelta(days=3)):  # another day: another start of the number
        receive(
            actors, content="路灯不亮", address="河西区人民路 1 号", caller_name="赵女士", caller_phone="13700001111"
        )
    ticket = receive(actors)
    services.ticket_dispatch(ticket_id=ticket.pk, actor=actors.operator, department_id=department("cgj").pk)
    return ticket.number


@pytest.mark.parametrize("kind", QUERIES)
def test_the_centre_finds_the_ticket(actors: Actors, ticket_number: str, kind: str) -> None:
    assert found(actors.reviewer, q=QUERIES[kind](ticket_number)) == [ticket_number]


@pytest.mark.parametrize("kind", QUERIES)
def test_the_holding_department_finds_the_ticket(actors: Actors, ticket_number: str, kind: str) -> None:
    assert found(actors.handler, q=QUERIES[kind](ticket_number)) == [ticket_number]


@pytest.mark.parametrize("kind", QUERIES)
def test_another_department_finds_nothing(actors: Actors, ticket_number: str, kind: str) -> None:
    other = User.objects.create_user("zjj-h", "a-long-password", role="handler", department=department("zjj"))
    assert found(other, q=QUERIES[kind](ticket_number)) == []
