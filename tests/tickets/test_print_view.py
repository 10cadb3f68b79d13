"""The print view: A4, the centre's heading, 交办单 before closure and 办结单 after, with the reply and the rating."""

from __future__ import annotations

from reviews import services
from tests.factories import Actors, ticket_in
from tests.tickets.record_helpers import ticket_page
from tickets import workflow


def test_an_open_ticket_prints_as_an_assignment_sheet_without_navigation(actors: Actors) -> None:
    ticket = ticket_in(workflow.REPLIED, actors)
    body = ticket_page(actors.handler, ticket.number, "print/")
    assert "交办单" in body and "12345 政务服务便民热线" in body and "size: A4" in body
    assert "<nav" not in body and "已清理占道摊点" in body


def test_a_closed_ticket_prints_as_a_completion_sheet_with_the_reply_and_the_rating(actors: Actors) -> None:
    ticket = ticket_in(workflow.AWAITING_SURVEY, actors)
    services.ticket_survey(
        ticket_id=ticket.pk, actor=actors.operator, outcome="answered", rating=5, solved=True, comment="处理很及时"
    )
    body = ticket_page(actors.head, ticket.number, "print/")
    assert "办结单" in body and "交办单" not in body
    assert "已清理占道摊点" in body and "非常满意" in body and "处理很及时" in body
