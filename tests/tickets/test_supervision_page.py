"""A breach shows on the supervisors' page: the overdue count and the supervision notice for the department."""

from __future__ import annotations

from datetime import timedelta

from django.test import Client
from django.utils import timezone

from tests.factories import Actors, ticket_in
from tickets import workflow
from tickets.sweeps import sweep_deadlines


def test_a_breach_appears_on_the_supervision_page(actors: Actors, time_machine) -> None:
    ticket = ticket_in(workflow.DISPATCHED, actors)
    time_machine.move_to(ticket.deadlines.get(kind="response").due_at + timedelta(minutes=1), tick=False)
    sweep_deadlines(now=timezone.now())
    client = Client()
    client.force_login(actors.supervisor)
    body = client.get("/supervision/").content.decode()
    assert "已超期" in body and ticket.number in body and "时限超期：响应" in body
    assert "市城市管理局" in body
