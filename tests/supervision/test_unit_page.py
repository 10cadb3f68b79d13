"""A department head's own page: their subtree's rates, red and yellow clocks, bad reviews and their units' figures."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.test import Client
from django.utils import timezone

from reviews import services as review_services
from tests.factories import Actors, department, receive, ticket_in
from tickets import services, workflow
from tickets.deadlines import BEIJING
from tickets.models import Deadline


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_head_sees_their_units_rates_clocks_bad_reviews_and_units_below(actors: Actors, time_machine) -> None:
    time_machine.move_to(datetime(2026, 11, 2, 10, 0, tzinfo=BEIJING), tick=False)
    bad = ticket_in(workflow.AWAITING_SURVEY, actors)
    review_services.ticket_survey(
        ticket_id=bad.pk, actor=actors.operator, outcome="answered", rating=1, solved=False, comment="摊贩又回来了"
    )
    late = ticket_in(workflow.DISPATCHED, actors)
    other = receive(actors)  # 住建局's overdue ticket and bad review are not the head's business
    services.ticket_dispatch(ticket_id=other.pk, actor=actors.operator, department_id=department("zjj").pk)
    time_machine.move_to(Deadline.objects.get(ticket=late, kind="response").due_at + timedelta(hours=1), tick=False)
    page = client_for(actors.head).get("/supervision/", follow=True)
    assert page.redirect_chain[-1][0] == "/supervision/unit/"
    body = page.content.decode()
    assert "市城市管理局" in body and "市城市管理综合执法支队" in body  # the unit and the unit below it
    assert "摊贩又回来了" in body and bad.number in body
    assert "市住房和城乡建设局" not in body
    board = page.context["board"]
    assert board.by_group["response"].red == 1  # cgj's late response; zjj's is not counted here
    satisfaction = dict(page.context["rates"])["满意率"]
    assert (satisfaction.numerator, satisfaction.denominator) == (0, 1)


def test_a_heads_drill_down_stays_inside_their_subtree(actors: Actors, time_machine) -> None:
    mine, theirs = ticket_in(workflow.DISPATCHED, actors), receive(actors)
    services.ticket_dispatch(ticket_id=theirs.pk, actor=actors.operator, department_id=department("zjj").pk)
    time_machine.move_to(timezone.now() + timedelta(days=10), tick=False)
    head = client_for(actors.head)
    listed = head.get("/supervision/overdue/", {"light": "red", "department": department("zjj").pk}).content.decode()
    assert mine.number in listed and theirs.number not in listed
    assert 'data-testid="supervise-' not in listed  # 督办 is the supervisors'
    everything = client_for(actors.supervisor).get("/supervision/overdue/", {"light": "red"}).content.decode()
    assert mine.number in everything and theirs.number in everything


def test_only_heads_have_a_unit_page(actors: Actors) -> None:
    assert client_for(actors.handler).get("/supervision/unit/").status_code == 403
    assert client_for(actors.supervisor).get("/supervision/unit/").status_code == 403
    assert client_for(actors.handler).get("/supervision/overdue/").status_code == 403
