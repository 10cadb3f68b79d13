"""Thin Celery tasks: beat runs the sweep and the delivery every minute; services queue delivery after commit."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from hotline.broker import nudge, nudge_taken
from tickets.clock_counts import deadline_counts_compact
from tickets.numbering import ticket_sequences_ensure
from tickets.queue_counts import queue_counts_compact
from tickets.services.notifications import outbox_deliver
from tickets.services.sms import sms_deliver_due
from tickets.sweeps import sweep_deadlines


@shared_task(ignore_result=False)
def sweep_deadlines_task() -> dict[str, int]:
    result = sweep_deadlines(batch_size=settings.SWEEP_BATCH_SIZE)
    if result.breached or result.warned:
        nudge(deliver_outbox)  # once, no result, no retry: beat's own delivery follows within a minute anyway
    return {"warned": result.warned, "breached": result.breached}


@shared_task
def deadline_counts_compact_task() -> int:
    """Fold the open-clock count changes the triggers wrote into the per-day counts the dashboard reads."""
    return deadline_counts_compact()


@shared_task
def queue_counts_compact_task() -> int:
    """Fold the queue count changes the triggers wrote into the counts every queue page reads."""
    return queue_counts_compact()


@shared_task
def ticket_sequences_ensure_task() -> None:
    ticket_sequences_ensure(timezone.localdate())


@shared_task(ignore_result=False)
def deliver_outbox() -> int:
    """In-app notifications (in batches), then the text messages (one per transaction); returns the outbox rows."""
    nudge_taken(deliver_outbox)  # before reading: a writer that commits from now on nudges again
    total = 0
    while delivered := outbox_deliver():
        total += delivered
    sms_deliver_due()
    return total
