"""Text messages leave through the outbox: one row per transaction, retried with backoff, parked after N failures."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.db import transaction
from django.test import Client
from django.utils import timezone

from hotline import sms
from hotline.sms import ConsoleBackend
from tests.factories import Actors, ticket_in
from tickets import services, workflow
from tickets.models import SmsMessage
from tickets.services.sms import sms_deliver_due, sms_queue

PHONES = ["13900000001", "13900000002", "13900000003"]
BROKEN = "13900000002"


@pytest.fixture(autouse=True)
def gateway(settings) -> Iterator[list[tuple[str, str]]]:
    settings.SMS_BACKEND = "hotline.sms.LocmemBackend"
    settings.SMS_MAX_ATTEMPTS = 4
    sms.outbox.clear()
    sms.failing.clear()
    yield sms.outbox
    sms.outbox.clear()
    sms.failing.clear()


def deliver_until_settled(time_machine) -> None:
    """What beat does every minute, with the clock moved past each backoff."""
    for _ in range(10):
        sms_deliver_due()
        waiting = SmsMessage.objects.filter(state=SmsMessage.State.PENDING).order_by("next_attempt_at").first()
        if waiting is None:
            return
        time_machine.move_to(waiting.next_attempt_at + timedelta(seconds=1))


def test_a_gateway_failing_for_one_recipient_delivers_the_others_once_and_parks_that_row(
    db: None, gateway: list[tuple[str, str]], time_machine
) -> None:
    time_machine.move_to(timezone.now())
    sms.failing.add(BROKEN)
    with transaction.atomic():
        for n, phone in enumerate(PHONES):
            sms_queue(phone=phone, text=f"督办通知 {n}", key=f"test:{n}")
    deliver_until_settled(time_machine)
    assert sorted(gateway) == [(PHONES[0], "督办通知 0"), (PHONES[2], "督办通知 2")]
    parked = SmsMessage.objects.get(phone=BROKEN)
    assert (parked.state, parked.attempts) == (SmsMessage.State.FAILED, 4)
    assert "SmsError" in parked.last_error
    assert SmsMessage.objects.filter(state=SmsMessage.State.SENT).count() == 2


def test_retries_back_off_one_two_four_minutes(db: None, time_machine) -> None:
    start = timezone.now()
    time_machine.move_to(start)
    sms.failing.add(BROKEN)
    with transaction.atomic():
        sms_queue(phone=BROKEN, text="回访短信", key="test:backoff")
    waits = []
    for _ in range(3):
        sms_deliver_due()
        row = SmsMessage.objects.get(key="test:backoff")
        waits.append(round((row.next_attempt_at - timezone.now()).total_seconds() / 60))
        time_machine.move_to(row.next_attempt_at)
    assert waits == [1, 2, 4]


def test_the_survey_link_is_queued_with_the_approval_and_sent_after_the_gateway_recovers(
    actors: Actors, gateway: list[tuple[str, str]], time_machine
) -> None:
    ticket = ticket_in(workflow.REPLIED, actors)
    sms.failing.add("13812345678")
    services.ticket_approve_reply(ticket_id=ticket.pk, actor=actors.reviewer)
    row = SmsMessage.objects.get(ticket=ticket)
    assert row.key.startswith("survey:") and row.state == SmsMessage.State.PENDING and gateway == []
    sms_deliver_due()
    row.refresh_from_db()
    assert (row.state, row.attempts) == (SmsMessage.State.PENDING, 1)
    sms.failing.clear()
    time_machine.move_to(row.next_attempt_at + timedelta(seconds=1))
    sms_deliver_due()
    row.refresh_from_db()
    assert row.state == SmsMessage.State.SENT
    assert len(gateway) == 1 and "/s/" in gateway[0][1]
    assert "/s/***" in row.text  # the sent one-time link is not kept readable


def test_an_administrator_resends_a_parked_message(admin_user, gateway: list[tuple[str, str]]) -> None:
    with transaction.atomic():
        row = sms_queue(phone=PHONES[0], text="督办通知", key="test:resend")
    SmsMessage.objects.filter(pk=row.pk).update(state=SmsMessage.State.FAILED, attempts=4)
    client = Client()
    client.force_login(admin_user)
    listing = client.get("/admin/tickets/smsmessage/", {"state__exact": "failed"})
    assert "test:resend" in listing.content.decode() and PHONES[0] not in listing.content.decode()
    client.post("/admin/tickets/smsmessage/", {"action": "resend", "_selected_action": [row.pk]})
    sms_deliver_due()
    row.refresh_from_db()
    assert row.state == SmsMessage.State.SENT and gateway == [(PHONES[0], "督办通知")]


def test_the_console_backend_masks_numbers_and_survey_tokens_in_the_log(caplog) -> None:
    with caplog.at_level(logging.INFO, logger="hotline.sms"):
        ConsoleBackend().send("13812345678", "请评价：https://h.example/s/AbCdEf123_-x", key="survey:1")
    assert "138****5678" in caplog.text and "/s/***" in caplog.text
    assert "13812345678" not in caplog.text and "AbCdEf123_-x" not in caplog.text
