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


def test_every_queue_count_read_together_is_the_queues_own_count(actors: Actors) -> None:
    """queue_counts reads all of a person's queues in one statement; each must equal counting that queue alone, for
    the centre's queues (one of them a person's own) and a department's."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from org.models import User
    from tickets.models import Ticket
    from tickets.work import queue_counts, queue_keys, queue_tickets

    for state in [workflow.RECEIVED, workflow.DISPATCHED, workflow.IN_PROGRESS, workflow.REPLIED, workflow.RETURNED]:
        ticket_in(state, actors)
    second = User.objects.create_user(
        "operator2", "a-long-password", role="operator", department=actors.operator.department
    )
    services.ticket_receive(actor=second, channel="phone", kind="help", content="路灯不亮")  # saved: second's own
    counted = 0
    for user in [actors.operator, second, actors.reviewer, actors.handler, actors.head]:
        keys = queue_keys(user)
        with CaptureQueriesContext(connection) as queries:
            together = queue_counts(user, keys)
        assert len(queries.captured_queries) == 1
        assert together == {key: queue_tickets(user, key).count() for key in keys}, user.username
        mine = {  # the owner columns read directly: a person's own, the centre's, or the department's
            key: Ticket.objects.filter(owner_queue=key, owner_user=user).count()
            if key == "saved"
            else Ticket.objects.filter(owner_queue=key, owner_user=None, owner_department=user.department).count()
            for key in keys
        }
        assert together == mine, user.username
        counted += sum(together.values())
    assert counted >= 6
