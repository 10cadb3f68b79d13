"""A department's count of a search by words or by a caller's name counts its own tickets (those ever dispatched to
its subtree) and no other: on PostgreSQL the count takes the scope from the units' words instead of a dispatch check
per row (selectors.ticket_list_search's ``counted``), and must still equal the rows it can page through."""

from __future__ import annotations

from django.test import Client

from org.models import User
from tests.factories import Actors, department, receive, ticket_in
from tickets import services, workflow


def _counts(user: User, q: str) -> tuple[int, int, int]:
    """The page's count, the API's count, and the rows the page shows."""
    client = Client()
    client.force_login(user)
    page = client.get("/tickets/", {"q": q})
    assert page.status_code == 200
    api = client.get("/api/v1/tickets/", {"q": q})
    assert api.status_code == 200
    return page.context["page"].count, api.json()["count"], len(page.context["page"].rows)


def _to(actors: Actors, code: str, **fields: object) -> None:
    ticket = receive(actors, **fields)
    services.ticket_dispatch(ticket_id=ticket.pk, actor=actors.operator, department_id=department(code).pk)


def test_a_departments_word_count_is_its_own_tickets_including_one_it_returned(actors: Actors) -> None:
    _to(actors, "cgj")
    _to(actors, "cgj")
    returned = ticket_in(workflow.RETURNED, actors)
    services.ticket_arbitrate_return(
        ticket_id=returned.pk, actor=actors.reviewer, accept=True, note="改派", department_id=department("zjj").pk
    )
    _to(actors, "zjj")  # another department's ticket with the same words
    receive(actors)  # not dispatched yet: the centre's alone
    assert _counts(actors.handler, "占道") == (3, 3, 3)
    assert _counts(actors.reviewer, "占道") == (5, 5, 5)


def test_a_departments_count_by_a_callers_name_leaves_out_that_callers_other_tickets(actors: Actors) -> None:
    _to(actors, "cgj", caller_name="欧阳建国", caller_phone="13900001111", content="路灯不亮")
    _to(actors, "zjj", caller_name="欧阳建国", caller_phone="13900001111", content="井盖破损")
    receive(actors, caller_name="欧阳建国", caller_phone="13900001111", content="噪音扰民")
    assert _counts(actors.handler, "欧阳建国") == (1, 1, 1)
    assert _counts(actors.reviewer, "欧阳建国") == (3, 3, 3)
