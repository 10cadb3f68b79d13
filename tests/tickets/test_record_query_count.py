"""The record is read with a fixed number of queries, however many contacts, replies and rounds a ticket has."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import Actors, ticket_in
from tickets import services, workflow
from tickets.models import Ticket
from tickets.record import ticket_record


def _queries(actors: Actors, ticket: Ticket) -> int:
    with CaptureQueriesContext(connection) as captured:
        record = ticket_record(viewer=actors.reviewer, ticket=ticket)
        assert record.timeline
    return len(captured.captured_queries)


def test_more_contacts_and_reply_versions_cost_no_more_queries(actors: Actors) -> None:
    small = ticket_in(workflow.REPLIED, actors)
    large = ticket_in(workflow.IN_PROGRESS, actors)
    for n in range(4):
        services.ticket_contact(ticket_id=large.pk, actor=actors.handler, channel="phone", note=f"第{n}次联系")
        services.ticket_reply(ticket_id=large.pk, actor=actors.handler, outcome="solved", text=f"第{n}版答复")
        services.ticket_send_back(ticket_id=large.pk, actor=actors.reviewer, reason=f"第{n}次退回")
    assert _queries(actors, Ticket.objects.get(pk=large.pk)) == _queries(actors, Ticket.objects.get(pk=small.pk))
