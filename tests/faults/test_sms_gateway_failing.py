"""An SMS gateway (its own process) that refuses one number while two Celery workers deliver to several: the others
are delivered exactly once; the refused one is retried with backoff, parked after SMS_MAX_ATTEMPTS, shown in the
admin and, resent once the gateway takes it again, delivered once."""

from __future__ import annotations

from datetime import datetime, timedelta

import requests
from django.db import transaction
from django.test import Client
from django.utils import timezone

from org.models import User
from tests.faults.harness import Services, gateway_state, wait_until
from tickets.models import SmsMessage
from tickets.services.sms import sms_deliver_due, sms_queue

PHONES = [f"1390000{n:04d}" for n in range(8)]
REFUSED = PHONES[3]
ATTEMPTS = 4
S = SmsMessage.State


def minutes_until(moment: datetime) -> int:
    return round((moment - timezone.now()).total_seconds() / 60)


def first_round_done() -> bool:
    rows = {r.phone: r for r in SmsMessage.objects.all()}
    return all(rows[p].state == S.SENT for p in PHONES if p != REFUSED) and rows[REFUSED].attempts >= 1


def test_a_gateway_refusing_one_number_delivers_the_others_once_and_parks_that_one_for_the_admin(
    services: Services, admin_user: User, settings, time_machine
) -> None:
    gateway = services.gateway(refused=[REFUSED])
    env = {"SMS_BACKEND": "hotline.sms.HttpGatewayBackend", "SMS_GATEWAY_URL": f"{gateway}/send"}
    env["SMS_MAX_ATTEMPTS"] = str(ATTEMPTS)
    settings.SMS_BACKEND, settings.SMS_GATEWAY_URL = env["SMS_BACKEND"], env["SMS_GATEWAY_URL"]
    settings.SMS_MAX_ATTEMPTS = ATTEMPTS
    celery = [services.worker(env), services.worker(env), services.beat(env)]  # two workers deliver side by side
    with transaction.atomic():
        for n, phone in enumerate(PHONES):
            sms_queue(phone=phone, text=f"督办通知 {n}", key=f"fault:{n}")
    wait_until(first_round_done, timeout=120, what="the first delivery round")
    for process in celery:  # the retries below move this process's clock past each backoff instead of waiting
        process.stop()

    row = SmsMessage.objects.get(phone=REFUSED)
    waits = [minutes_until(row.next_attempt_at)]  # after the workers' first try
    while True:
        time_machine.move_to(row.next_attempt_at + timedelta(seconds=1))
        sms_deliver_due()
        row.refresh_from_db()
        if row.state != S.PENDING:
            break
        waits.append(minutes_until(row.next_attempt_at))
    assert waits == [1, 2, 4]  # backoff after attempts 1, 2 and 3
    assert (row.state, row.attempts) == (S.FAILED, ATTEMPTS)
    assert "503" in row.last_error

    state = gateway_state(gateway)
    refused_tries = [r for r in state["requests"] if r["phone"] == REFUSED]
    assert [r["status"] for r in refused_tries] == [503] * ATTEMPTS
    others = sorted((d["phone"], d["text"]) for d in state["deliveries"])
    assert others == [(p, f"督办通知 {n}") for n, p in enumerate(PHONES) if p != REFUSED]  # each once
    assert len(state["requests"]) == len(PHONES) - 1 + ATTEMPTS  # nothing else was sent, nothing twice

    admin = Client()
    admin.force_login(admin_user)
    listing = admin.get("/admin/tickets/smsmessage/", {"state__exact": "failed"}).content.decode()
    assert row.key in listing and "139****0003" in listing and REFUSED not in listing
    for other in SmsMessage.objects.exclude(pk=row.pk):
        assert other.key not in listing

    requests.post(f"{gateway}/refuse", json=[], timeout=10)  # the gateway takes the number again
    admin.post("/admin/tickets/smsmessage/", {"action": "resend", "_selected_action": [row.pk]})
    sms_deliver_due()
    row.refresh_from_db()
    assert row.state == S.SENT
    delivered = [d for d in gateway_state(gateway)["deliveries"] if d["phone"] == REFUSED]
    assert delivered == [{"phone": REFUSED, "text": "督办通知 3", "key": "fault:3"}]
