"""The department's history tab lists what it replied, what was closed and what it returned."""

from __future__ import annotations

import re

from django.test import Client

from tests.factories import Actors, ticket_in
from tickets import workflow

ROW = re.compile(r'<tr data-number="(\d+)">')


def test_replied_closed_and_returned_tickets_are_in_the_history_tab(actors: Actors) -> None:
    replied, closed = ticket_in(workflow.REPLIED, actors), ticket_in(workflow.CLOSED, actors)
    returned, open_one = ticket_in(workflow.RETURNED, actors), ticket_in(workflow.IN_PROGRESS, actors)
    client = Client()
    client.force_login(actors.handler)
    body = client.get("/workbench/", {"tab": "history"}).content.decode()
    assert set(ROW.findall(body)) == {replied.number, closed.number, returned.number}
    assert open_one.number not in body and "办理历史" in body
