"""One lock order (STYLE.md 14): the SMS answer locks the ticket before its survey round, as the callback does.

The answer starts from a token, i.e. from a round. If it locked the round first, an operator's callback holding the
ticket and reaching for the round would deadlock with it. Here the ticket is held by another transaction: the
answer must wait on the ticket while the round stays free.
"""

from __future__ import annotations

import threading

from django.db import connection, transaction

from reviews.models import SurveyRound
from reviews.services import survey_answer_sms
from tests.factories import Actors, ticket_in
from tests.reviews.conftest import survey_token
from tickets import services as ticket_services
from tickets import workflow
from tickets.models import Ticket


def waiting_on_a_lock() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")  # inside a transaction the view is a snapshot otherwise
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'")
        return int(cursor.fetchone()[0])


def test_the_sms_answer_waits_for_the_ticket_before_it_touches_the_round(
    transactional_db: None, actors: Actors, sms_outbox
) -> None:
    ticket = ticket_in(workflow.REPLIED, actors)
    ticket_services.ticket_approve_reply(ticket_id=ticket.pk, actor=actors.reviewer)
    token = survey_token(sms_outbox, "13812345678")
    survey = SurveyRound.objects.get(ticket=ticket)
    errors: list[BaseException] = []

    def citizen_answers() -> None:
        try:
            survey_answer_sms(token=token, rating=5, solved=True)
        except BaseException as error:  # reported to the test below
            errors.append(error)
        finally:
            connection.close()

    with transaction.atomic():
        Ticket.objects.select_for_update().get(pk=ticket.pk)  # the operator's callback holds the ticket
        answer = threading.Thread(target=citizen_answers)
        answer.start()
        for _ in range(400):  # until the answer is blocked on a lock (polling the server, not sleeping on time)
            if waiting_on_a_lock():
                break
            threading.Event().wait(0.025)
        assert waiting_on_a_lock() == 1
        # The callback's next step takes the round: free, because the answer has not locked it.
        SurveyRound.objects.select_for_update(nowait=True).get(pk=survey.pk)
    answer.join(20)
    assert errors == []
    assert SurveyRound.objects.get(pk=survey.pk).rating == 5
