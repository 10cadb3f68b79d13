"""The department reads the rating and comment of its bad review, never the evaluator's number."""

from __future__ import annotations

import json

from reviews import services
from tests.factories import Actors, ticket_in
from tests.tickets.record_helpers import api_detail, ticket_page
from tickets import workflow

COMMENT = "摊点第二天又回来了，根本没有解决"


def _bad_review(actors: Actors) -> str:
    ticket = ticket_in(workflow.AWAITING_SURVEY, actors)
    services.ticket_survey(
        ticket_id=ticket.pk, actor=actors.operator, outcome="answered", rating=1, solved=False, comment=COMMENT
    )
    return ticket.number


def test_the_department_sees_the_rating_and_comment_on_the_page_but_not_the_evaluators_number(
    actors: Actors,
) -> None:
    number = _bad_review(actors)
    body = ticket_page(actors.handler, number)
    assert COMMENT in body and "非常不满意" in body and "第 1 轮回访" in body
    assert "13812345678" not in body


def test_the_api_gives_the_department_the_rating_without_the_evaluators_number(actors: Actors) -> None:
    number = _bad_review(actors)
    detail = api_detail(actors.handler, number)
    assert [(s["rating"], s["solved"], s["comment"]) for s in detail["surveys"]] == [(1, False, COMMENT)]
    assert "13812345678" not in json.dumps(detail["surveys"]) and "evaluator_phone" not in detail["surveys"][0]
    assert detail["rectifications"][0]["state"] == "open"


def test_the_centre_sees_the_evaluator_on_the_page(actors: Actors) -> None:
    number = _bad_review(actors)
    assert "13812345678" in ticket_page(actors.reviewer, number)
