"""The SMS link answers once and expires; the IVR webhook refuses bad signatures and replays."""

from __future__ import annotations

import json
import time
from datetime import timedelta

from django.test import Client

from reviews.ivr import sign
from reviews.models import IvrNonce, SurveyRound
from tests.factories import Actors, ticket_in
from tests.reviews.conftest import survey_token
from tickets import services as ticket_services
from tickets import workflow
from tickets.models import Ticket

PHONE = "13812345678"


def approved(actors: Actors, capture) -> Ticket:
    ticket = ticket_in(workflow.REPLIED, actors)
    with capture(execute=True):
        ticket_services.ticket_approve_reply(ticket_id=ticket.pk, actor=actors.reviewer)
    return ticket


def test_the_sms_link_works_once(actors: Actors, sms_outbox, django_capture_on_commit_callbacks) -> None:
    ticket = approved(actors, django_capture_on_commit_callbacks)
    token = survey_token(sms_outbox, PHONE)
    assert len(token) >= 22  # at least 128 bits
    page = Client().get(f"/s/{token}")
    assert page.status_code == 200 and "非常满意" in page.content.decode()
    answer = Client().post(f"/s/{token}", {"rating": "5", "solved": "yes", "comment": "很好"})
    assert answer.status_code == 200 and "感谢" in answer.content.decode()
    survey = SurveyRound.objects.get(ticket=ticket)
    assert (survey.channel, survey.rating, survey.solved) == ("sms", 5, True)
    assert Ticket.objects.get(pk=ticket.pk).status == workflow.CLOSED
    again = Client().post(f"/s/{token}", {"rating": "1", "solved": "no"})
    assert again.status_code == 400 and "已经提交" in again.content.decode()
    assert SurveyRound.objects.get(ticket=ticket).rating == 5


def test_an_expired_link_is_refused_with_a_chinese_page(
    actors: Actors, sms_outbox, time_machine, django_capture_on_commit_callbacks
) -> None:
    ticket = approved(actors, django_capture_on_commit_callbacks)
    token = survey_token(sms_outbox, PHONE)
    expires = SurveyRound.objects.get(ticket=ticket).token_expires_at
    assert expires is not None
    time_machine.move_to(expires + timedelta(seconds=1))
    response = Client().post(f"/s/{token}", {"rating": "5", "solved": "yes"})
    assert response.status_code == 400 and "已过期" in response.content.decode()
    assert SurveyRound.objects.get(ticket=ticket).state == "open"


def test_an_unknown_link_says_so(db: None) -> None:
    response = Client().get("/s/not-a-real-token")
    assert response.status_code == 200  # the form is shown; answering it is refused
    answer = Client().post("/s/not-a-real-token", {"rating": "5", "solved": "yes"})
    assert answer.status_code == 404 and "无效" in answer.content.decode()


def test_a_missing_rating_shows_the_form_again_with_what_was_entered(
    actors, sms_outbox, django_capture_on_commit_callbacks
) -> None:
    approved(actors, django_capture_on_commit_callbacks)
    token = survey_token(sms_outbox, PHONE)
    response = Client().post(f"/s/{token}", {"solved": "no", "comment": "还没处理完"})
    assert response.status_code == 400
    assert "请选择 1 到 5 的评分" in response.content.decode() and "还没处理完" in response.content.decode()


def ivr_post(body: dict, *, timestamp: str | None = None, signature: str | None = None, secret: str = ""):
    from django.conf import settings

    raw = json.dumps(body).encode()
    timestamp = timestamp or str(int(time.time()))
    signature = signature or sign(raw, timestamp, secret or settings.IVR_SECRET)
    return Client().post(
        "/api/v1/ivr/survey/",
        raw,
        content_type="application/json",
        HTTP_X_HOTLINE_TIMESTAMP=timestamp,
        HTTP_X_HOTLINE_SIGNATURE=signature,
    )


def test_a_signed_ivr_answer_is_recorded(actors: Actors) -> None:
    ticket = ticket_in(workflow.AWAITING_SURVEY, actors)
    response = ivr_post({"ticket": ticket.number, "rating": 4, "solved": True})
    assert response.status_code == 201
    assert SurveyRound.objects.get(ticket=ticket).channel == "ivr"


def test_the_ivr_refuses_a_wrong_signature_an_old_timestamp_and_a_replay(actors: Actors) -> None:
    ticket = ticket_in(workflow.AWAITING_SURVEY, actors)
    body = {"ticket": ticket.number, "rating": 1, "solved": False}
    assert ivr_post(body, secret="not-the-secret").status_code == 401
    old = str(int(time.time()) - 3600)
    assert ivr_post(body, timestamp=old).status_code == 401
    assert SurveyRound.objects.get(ticket=ticket).state == "open" and not IvrNonce.objects.exists()

    first_timestamp = str(int(time.time()))
    assert (
        ivr_post({"ticket": ticket.number, "rating": 4, "solved": True}, timestamp=first_timestamp).status_code == 201
    )
    replay = ivr_post({"ticket": ticket.number, "rating": 4, "solved": True}, timestamp=first_timestamp)
    assert replay.status_code == 401 and replay.json()["code"] == "signature_refused"
    assert SurveyRound.objects.filter(ticket=ticket, state="answered").count() == 1


def test_fraud_flags_are_raised_for_the_centre_without_touching_ratings(actors: Actors, settings) -> None:
    from reviews.models import FraudFlag

    settings.FRAUD_PHONE_DAILY_LIMIT = 2
    for _ in range(3):
        ticket = ticket_in(workflow.AWAITING_SURVEY, actors)
        from reviews import services

        services.ticket_survey(ticket_id=ticket.pk, actor=actors.operator, outcome="answered", rating=5, solved=True)
    flagged = FraudFlag.objects.filter(kind="phone_volume")
    assert flagged.count() == 1
    assert flagged.get().round.rating == 5  # the rating stands


def test_an_ivr_answer_sent_as_a_form_is_refused_as_an_unsupported_media_type(actors: Actors) -> None:
    ticket = ticket_in(workflow.AWAITING_SURVEY, actors)
    response = Client().post("/api/v1/ivr/survey/", {"ticket": ticket.number, "rating": 4, "solved": "true"})
    assert response.status_code == 415
    assert not SurveyRound.objects.filter(ticket=ticket, channel="ivr").exists()
