"""kill -9 of the Celery worker and of beat, three times during a sweep of 1,000 due clocks: after they are started
again every clock is breached once, every notification and text message is delivered once, none is lost."""

from __future__ import annotations

from functools import partial

import pytest

from org.models import User
from tests.faults.harness import (
    Progress,
    Services,
    breached_count,
    due_clocks,
    gateway_state,
    heads_with_phones,
    wait_until,
)
from tickets.models import Notification, Outbox, SmsMessage, SupervisionNotice, TicketEvent

COUNT = 1000
KILLS = 3


def sweep_moved_past(breached: int) -> bool:
    return breached_count() > breached


def texts_sent() -> int:
    return SmsMessage.objects.filter(state=SmsMessage.State.SENT).count()


def texts_going_out(before: int) -> bool:
    return texts_sent() > before + 5


def test_killing_the_worker_and_beat_three_times_mid_sweep_processes_every_clock_exactly_once(
    services: Services, handler: User, capsys: pytest.CaptureFixture[str]
) -> None:
    department = handler.department
    assert department is not None
    heads = heads_with_phones(department)
    due_clocks(department, COUNT)
    gateway = services.gateway()
    env = {
        "SMS_BACKEND": "hotline.sms.HttpGatewayBackend",
        "SMS_GATEWAY_URL": f"{gateway}/send",
        "SWEEP_BATCH_SIZE": "5",  # 200 transactions: a kill lands inside the sweep, not after it
    }
    killed_at = []
    for _ in range(KILLS):
        before = breached_count()
        # Not waiting for them to be ready: the sweep is watched from the moment they start.
        worker, beat = services.worker(env, wait=False), services.beat(env, wait=False)
        wait_until(partial(sweep_moved_past, before), timeout=120, what="the sweep to move on", every=0.02)
        worker.kill()
        beat.kill()
        killed_at.append(Progress.now())
    assert all(0 < p.breached < COUNT for p in killed_at), killed_at  # each kill landed inside the sweep

    sms_expected = COUNT * len(heads)
    # Once more while the text messages go out (one per transaction): a message sent but not yet marked sent when
    # the worker dies is sent again with the same idempotency key, and the gateway delivers it once.
    sent_before = texts_sent()
    worker, beat = services.worker(env, wait=False), services.beat(env, wait=False)
    wait_until(partial(texts_going_out, sent_before), timeout=180, what="the text messages to go out")
    worker.kill()
    beat.kill()
    sent_when_killed = texts_sent()
    assert sent_when_killed < sms_expected

    services.worker(env)
    services.beat(env)

    def settled() -> bool:
        p = Progress.now()
        return p.breached == COUNT and p.outbox_waiting == 0 and p.sms == sms_expected and p.sms_waiting == 0

    wait_until(settled, timeout=300, what="every clock, notification and text message", every=0.5)

    assert TicketEvent.objects.filter(verb="response_breached").count() == COUNT
    assert TicketEvent.objects.filter(verb="response_breached").values("deadline").distinct().count() == COUNT
    assert SupervisionNotice.objects.count() == COUNT
    assert Outbox.objects.filter(kind="breach").count() == COUNT
    assert Notification.objects.count() == COUNT * len(heads)
    assert SmsMessage.objects.filter(state=SmsMessage.State.SENT).count() == sms_expected
    state = gateway_state(gateway)
    delivered = [d["key"] for d in state["deliveries"]]
    assert sorted(delivered) == sorted(SmsMessage.objects.values_list("key", flat=True))  # each key exactly once
    resent = len(state["requests"]) - len(delivered)  # a kill between the gateway's answer and the commit
    with capsys.disabled():
        print(
            f"\n[fault] worker+beat kill -9 ×{KILLS} in the sweep (breached {[p.breached for p in killed_at]}/{COUNT}),"
            f" once sending texts ({sent_when_killed}/{sms_expected} sent);"
            f" {len(delivered)} SMS delivered once each, {resent} re-sent with the same idempotency key"
        )
