"""GET /api/v1/work/ and every queue page are drawn from the owner function: true counts, due order, no cap."""

from __future__ import annotations

import re

from rest_framework.test import APIClient

from tests.factories import Actors, department, receive, ticket_in
from tickets import services, workflow


def test_the_work_api_gives_each_queue_its_true_count_and_first_page_soonest_due_first(actors: Actors) -> None:
    later, sooner = ticket_in(workflow.DISPATCHED, actors), ticket_in(workflow.DISPATCHED, actors)
    services.ticket_dispatch(
        ticket_id=receive(actors, urgency="very_urgent").pk, actor=actors.operator, department_id=department("cgj").pk
    )
    client = APIClient()
    client.force_authenticate(actors.handler)
    body = client.get("/api/v1/work/").json()
    sign = next(q for q in body["queues"] if q["key"] == "sign")
    assert sign["label"] == "待签收" and sign["count"] == 3 == len(sign["tickets"])
    due = [t["due_at"] for t in sign["tickets"]]
    assert due == sorted(due)
    assert {later.number, sooner.number} <= {t["number"] for t in sign["tickets"]}
    assert {q["key"] for q in body["queues"]} >= {"sign", "contact", "reply", "rework", "rect_verify"}
    assert "appeal_opinion" not in {q["key"] for q in body["queues"]}  # a head's queue, not a handler's


def test_the_work_api_lists_the_help_asked_of_the_department_with_each_ticket_s_number(actors: Actors) -> None:
    from org.models import User

    ticket = receive(actors)
    services.ticket_dispatch(
        ticket_id=ticket.pk,
        actor=actors.operator,
        department_id=department("cgj").pk,
        co_department_ids=[department("zjj").pk],
    )
    co_handler = User.objects.create_user("zjj-h", "a-long-password", role="handler", department=department("zjj"))
    client = APIClient()
    client.force_authenticate(co_handler)
    assists = {a["key"]: a for a in client.get("/api/v1/work/").json()["assists"]}
    assert (assists["co"]["count"], assists["co"]["tickets"]) == (1, [ticket.number])
    assert (assists["ledger"]["count"], assists["ledger"]["tickets"]) == (0, [])
    client.force_authenticate(actors.handler)  # the lead owns the ticket: no help is asked of it
    assert {a["key"]: a["tickets"] for a in client.get("/api/v1/work/").json()["assists"]}["co"] == []
    sign = next(q for q in client.get("/api/v1/work/").json()["queues"] if q["key"] == "sign")
    assert sign["tickets"][0]["number"] == ticket.number
    assert ticket.category is not None
    assert (sign["tickets"][0]["category"], sign["tickets"][0]["lead_department"]) == (
        ticket.category.name,
        department("cgj").name,
    )


def test_a_queue_pages_on_with_rel_next_and_reaches_every_ticket_once(actors: Actors, client) -> None:
    numbers = {receive(actors).number for _ in range(53)}
    client.force_login(actors.operator)
    seen: list[str] = []
    url = "/centre/queues/?tab=saved"
    while url:
        page = client.get(url).content.decode()
        seen += re.findall(r'href="/tickets/(\d{14})/"', page)
        found = re.search(r'rel="next" href="([^"]+)"', page)
        url = "/centre/queues/" + found.group(1).replace("&amp;", "&") if found else ""
    assert sorted(seen) == sorted(numbers)
