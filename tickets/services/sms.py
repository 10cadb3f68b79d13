"""Text messages leave through the outbox (STYLE.md 15): queued in the business transaction, sent one row per
transaction with the row's idempotency key, retried with backoff, parked as failed after SMS_MAX_ATTEMPTS."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from hotline.sms import SURVEY_TOKEN, masked, sms_backend
from tickets.models import SmsMessage, Ticket

logger = logging.getLogger(__name__)
S = SmsMessage.State


def sms_queue(*, phone: str, text: str, key: str, ticket: Ticket | None = None) -> SmsMessage:
    """Write the message in the caller's transaction (once per key) and nudge a worker after commit."""
    from tickets.services.common import outbox_kick

    row, _created = SmsMessage.objects.get_or_create(key=key, defaults={"phone": phone, "text": text, "ticket": ticket})
    transaction.on_commit(outbox_kick, robust=True)
    return row


def backoff(attempts: int) -> timedelta:
    """1, 2, 4, 8 … minutes after each failure, at most an hour."""
    return timedelta(minutes=min(2 ** (attempts - 1), 60))


@transaction.atomic
def sms_deliver_one() -> bool:
    """Send the next due message, holding only its row; False when none is due."""
    now = timezone.now()
    row = (
        SmsMessage.objects.select_for_update(skip_locked=True)
        .filter(state=S.PENDING, next_attempt_at__lte=now)
        .order_by("next_attempt_at", "pk")
        .first()
    )
    if row is None:
        return False
    row.attempts += 1
    try:
        sms_backend().send(row.phone, row.text, key=row.key)
    except Exception as error:  # the gateway's failure is this row's, never the batch's
        row.last_error = f"{type(error).__name__}: {error}"[:300]
        if row.attempts >= settings.SMS_MAX_ATTEMPTS:
            row.state = S.FAILED
        else:
            row.next_attempt_at = now + backoff(row.attempts)
        logger.warning("SMS %s to %s failed (attempt %d): %s", row.key, masked(row.phone, "")[0], row.attempts, error)
        row.save(update_fields=["attempts", "last_error", "state", "next_attempt_at"])
        return True
    row.state, row.sent_at = S.SENT, now
    row.text = SURVEY_TOKEN.sub("/s/***", row.text)  # a sent one-time link is not kept readable
    row.save(update_fields=["attempts", "state", "sent_at", "text"])
    return True


def sms_deliver_due(*, limit: int = 500) -> int:
    """Send due messages one by one (each in its own transaction), at most ``limit`` per call."""
    handled = 0
    while handled < limit and sms_deliver_one():
        handled += 1
    return handled


def sms_resend(ids: Iterable[int]) -> int:
    """The administrator's "resend": failed messages are queued again with a fresh count of attempts."""
    return SmsMessage.objects.filter(pk__in=list(ids), state=S.FAILED).update(
        state=S.PENDING, attempts=0, next_attempt_at=timezone.now(), last_error=""
    )
