"""Rectification and appeal follow reviews/steps.py: the centre decides an invalid review from its queue, and an
upheld appeal ends the rectification, its clocks and the ticket."""

from __future__ import annotations

import pytest

from reviews import services as review_services
from reviews import steps
from reviews.models import Rectification, SurveyRound
from tests.closed_loop.conftest import owned, work
from tests.factories import Actors, ticket_in
from tickets import permissions, workflow
from tickets.models import Deadline, Ticket


@pytest.fixture
def rectifying(actors: Actors) -> Ticket:
    ticket = ticket_in(workflow.AWAITING_SURVEY, actors)
    review_services.ticket_survey(
        ticket_id=ticket.pk, actor=actors.operator, outcome="answered", rating=1, solved=False, comment="根本没人来"
    )
    return Ticket.objects.get(pk=ticket.pk)


def test_a_bad_review_is_the_rated_departments_to_verify(rectifying: Ticket, actors: Actors) -> None:
    assert rectifying.number in work(actors.handler)["rect_verify"]
    assert rectifying.number not in owned(actors.reviewer)


def test_the_centre_decides_an_invalid_review_report_from_its_queue(rectifying: Ticket, actors: Actors, client) -> None:
    rect = Rectification.objects.get(ticket=rectifying)
    review_services.rectification_verify(rectification_id=rect.pk, actor=actors.handler, note="市民称无人联系")
    review_services.rectification_report(
        rectification_id=rect.pk, actor=actors.handler, report_type="invalid", text="系恶意差评，有通话录音为证"
    )
    assert rectifying.number in work(actors.reviewer)["invalid_review"]
    client.force_login(actors.reviewer)
    page = client.get("/centre/queues/?tab=invalid_review").content.decode()
    assert rectifying.number in page
    assert "rect_decide_invalid" in permissions.actions_available(actors.reviewer, rectifying)
    response = client.post(
        f"/tickets/{rectifying.number}/do/rect_decide_invalid/",
        {"rect_decide_invalid-approve": "yes", "rect_decide_invalid-note": "录音属实"},
    )
    assert response.status_code == 302
    assert Rectification.objects.get(pk=rect.pk).state == steps.REPORTED
    assert rectifying.number in work(actors.handler)["rect_inform"]


def test_an_upheld_appeal_ends_the_rectification_its_clocks_and_the_ticket(rectifying: Ticket, actors: Actors) -> None:
    appeal = review_services.appeal_apply(
        ticket_number=rectifying.number, actor=actors.handler, reasons="评价与事实不符"
    )
    assert set(Deadline.objects.filter(ticket=rectifying, state="paused").values_list("kind", flat=True)) == {
        "rect_response",
        "rect_reply",
    }
    assert rectifying.number in work(actors.head)["appeal_opinion"]
    review_services.appeal_opinion(appeal_id=appeal.pk, actor=actors.head, supports=True, note="情况属实")
    assert rectifying.number in work(actors.reviewer)["appeal_decide"]
    review_services.appeal_decide(appeal_id=appeal.pk, actor=actors.reviewer, upheld=True, note="经核查评价不属实")
    ticket = Ticket.objects.get(pk=rectifying.pk)
    assert ticket.status == workflow.CLOSED
    assert Rectification.objects.get(ticket=ticket).state == steps.ENDED
    assert SurveyRound.objects.get(ticket=ticket, rating=1).untrue
    assert not Deadline.objects.filter(ticket=ticket, state__in=["open", "paused"]).exists()
    assert "supervise" not in permissions.actions_available(actors.supervisor, ticket)
    assert ticket.number not in owned(actors.reviewer) | owned(actors.handler) | owned(actors.head)


def test_while_an_appeal_is_pending_no_rectification_step_is_offered(rectifying: Ticket, actors: Actors) -> None:
    review_services.appeal_apply(ticket_number=rectifying.number, actor=actors.handler, reasons="评价与事实不符")
    assert permissions.actions_available(actors.handler, rectifying) == []


def test_a_rejected_appeal_resumes_the_rectification_and_cannot_be_made_again(
    rectifying: Ticket, actors: Actors
) -> None:
    appeal = review_services.appeal_apply(
        ticket_number=rectifying.number, actor=actors.handler, reasons="评价与事实不符"
    )
    review_services.appeal_opinion(appeal_id=appeal.pk, actor=actors.head, supports=False, note="不支持")
    review_services.appeal_decide(appeal_id=appeal.pk, actor=actors.reviewer, upheld=False, note="评价属实")
    assert set(Deadline.objects.filter(ticket=rectifying, state="open").values_list("kind", flat=True)) == {
        "rect_response",
        "rect_reply",
    }
    assert permissions.actions_available(actors.handler, rectifying) == ["rect_verify"]
    assert rectifying.number in work(actors.handler)["rect_verify"]
