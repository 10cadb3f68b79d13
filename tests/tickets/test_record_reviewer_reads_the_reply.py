"""The reviewer reads the department's reply (text, outcome, author) before approving or sending it back."""

from __future__ import annotations

from tests.factories import Actors, ticket_in
from tests.tickets.record_helpers import api_detail, ticket_page
from tickets import workflow


def test_the_reviewer_sees_the_reply_text_on_the_page_while_the_decision_is_pending(actors: Actors) -> None:
    ticket = ticket_in(workflow.REPLIED, actors)
    body = ticket_page(actors.reviewer, ticket.number)
    assert "已清理占道摊点" in body
    assert "答复（第 1 版）" in body and 'data-action="approve_reply"' in body and 'data-action="send_back"' in body


def test_the_api_detail_carries_every_reply_version_with_its_review_state(actors: Actors) -> None:
    ticket = ticket_in(workflow.REPLIED, actors)
    replies = api_detail(actors.reviewer, ticket.number)["replies"]
    assert [(r["version"], r["text"], r["outcome"], r["state"], r["author"]) for r in replies] == [
        (1, "已清理占道摊点", "solved", "pending", "handler")
    ]
