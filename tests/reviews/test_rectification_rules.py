"""Rectification rules: an invalid review needs the centre; breaches raise supervision notices; fraud flags."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from hotline.errors import DomainError, Forbidden
from reviews import flags, services
from reviews.models import FraudFlag, Rectification, SurveyRound
from tests.factories import Actors, department, ticket_in
from tests.reviews.conftest import survey_token
from tickets import workflow
from tickets.models import SupervisionNotice
from tickets.sweeps import sweep_deadlines


def bad_review(actors: Actors, rating: int = 1) -> Rectification:
    ticket = ticket_in(workflow.AWAITING_SURVEY, actors)
    services.ticket_survey(ticket_id=ticket.pk, actor=actors.operator, outcome="answered", rating=rating, solved=False)
    return Rectification.objects.get(ticket=ticket)


def test_an_invalid_review_needs_the_centres_approval(actors: Actors) -> None:
    rect = bad_review(actors)
    services.rectification_verify(rectification_id=rect.pk, actor=actors.handler, note="市民承认评价有误")
    services.rectification_report(
        rectification_id=rect.pk, actor=actors.handler, report_type="invalid", text="市民误评，已确认"
    )
    with pytest.raises(DomainError):  # not told the citizen before the centre decides
        services.rectification_inform(rectification_id=rect.pk, actor=actors.handler, note="已告知")
    with pytest.raises(Forbidden):
        services.rectification_decide_invalid(rectification_id=rect.pk, actor=actors.head, approve=True)
    services.rectification_decide_invalid(
        rectification_id=rect.pk, actor=actors.reviewer, approve=False, note="证据不足，请重新整改"
    )
    rect.refresh_from_db()
    assert rect.state == "verified" and rect.report_type == ""
    services.rectification_report(
        rectification_id=rect.pk, actor=actors.handler, report_type="immediate", text="已立行立改"
    )
    services.rectification_inform(rectification_id=rect.pk, actor=actors.handler, note="已告知市民整改结果")
    assert rect.ticket.events.filter(verb="rectification_decide_invalid", payload__approved=False).count() == 1


def test_a_missed_verification_call_raises_a_supervision_notice(actors: Actors, time_machine) -> None:
    rect = bad_review(actors)
    due = rect.ticket.deadlines.get(kind="rect_response", state="open").due_at
    time_machine.move_to(due + timedelta(minutes=1), tick=False)
    sweep_deadlines(now=timezone.now())
    notice = SupervisionNotice.objects.get(ticket=rect.ticket)
    assert notice.department == rect.department
    assert rect.ticket.events.filter(verb="rect_response_breached").count() == 1


def test_the_centres_callback_on_a_ticket_it_answered_itself_is_not_self_rating(actors: Actors) -> None:
    ticket = ticket_in(workflow.ANSWERED, actors)  # answered by the centre itself: the centre is the rated unit
    services.ticket_survey(ticket_id=ticket.pk, actor=actors.operator, outcome="answered", rating=5, solved=True)
    assert SurveyRound.objects.get(ticket=ticket).department == department("centre")
    assert not FraudFlag.objects.filter(kind="self_rating").exists()


def test_a_rating_entered_by_a_user_of_the_rated_department_is_flagged(actors: Actors) -> None:
    ticket = ticket_in(workflow.AWAITING_SURVEY, actors)
    services.ticket_survey(ticket_id=ticket.pk, actor=actors.operator, outcome="answered", rating=5, solved=True)
    survey = SurveyRound.objects.get(ticket=ticket)
    assert not FraudFlag.objects.filter(kind="self_rating").exists()
    survey.entered_by = actors.handler  # as if 市城市管理局's handler had typed its own ticket's rating
    assert "self_rating" in flags.flags_detect(survey)
    assert FraudFlag.objects.get(kind="self_rating").round == survey


def test_a_burst_of_identical_ratings_on_one_department_is_flagged(actors: Actors, settings) -> None:
    settings.FRAUD_BURST_COUNT = 3
    for _ in range(3):
        bad_review(actors, rating=1)
    assert FraudFlag.objects.filter(kind="burst").count() == 1
    assert all(r.round.rating == 1 for r in Rectification.objects.all())  # ratings untouched


def test_link_answers_from_one_address_are_flagged_after_the_answer_commits(
    actors: Actors, settings, sms_outbox, django_capture_on_commit_callbacks
) -> None:
    settings.FRAUD_SHARED_IP_LIMIT = 1
    for rating in (5, 4):
        ticket_in(workflow.AWAITING_SURVEY, actors)
        token = survey_token(sms_outbox, "13812345678")
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            services.survey_answer_sms(token=token, rating=rating, solved=True, ip="203.0.113.9")
        assert not FraudFlag.objects.filter(kind="shared_ip").exists()  # not inside the citizen's transaction
        for callback in callbacks:
            callback()
    flagged = FraudFlag.objects.get(kind="shared_ip")
    assert flagged.round.rating == 4 and flagged.detail == {"answers_today": 2}
