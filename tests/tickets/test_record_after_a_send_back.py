"""After 退回重办 the handler reads the reviewer's reason beside their own earlier reply."""

from __future__ import annotations

from tests.factories import Actors, ticket_in
from tests.tickets.record_helpers import api_detail, ticket_page
from tickets import services, workflow

REASON = "答复未说明摊点清理后的长效管理措施，请补充"


def test_the_handler_sees_the_send_back_reason_and_their_earlier_reply(actors: Actors) -> None:
    ticket = ticket_in(workflow.REPLIED, actors)
    services.ticket_send_back(ticket_id=ticket.pk, actor=actors.reviewer, reason=REASON)
    body = ticket_page(actors.handler, ticket.number)
    assert REASON in body and "已清理占道摊点" in body
    assert "第 1 版答复审核：退回重办" in body or "第 1 版答复审核" in body
    replies = api_detail(actors.handler, ticket.number)["replies"]
    assert [(r["state"], r["review_note"], r["reviewed_by"]) for r in replies] == [("sent_back", REASON, "reviewer")]


def test_both_versions_stay_on_the_record_after_the_second_reply(actors: Actors) -> None:
    ticket = ticket_in(workflow.REPLIED, actors)
    services.ticket_send_back(ticket_id=ticket.pk, actor=actors.reviewer, reason=REASON)
    services.ticket_reply(ticket_id=ticket.pk, actor=actors.handler, outcome="solved", text="已建立每日巡查机制")
    body = ticket_page(actors.reviewer, ticket.number)
    assert body.index("已清理占道摊点") < body.index(REASON) < body.index("已建立每日巡查机制")
    assert "答复（第 2 版）" in body
