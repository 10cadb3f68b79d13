"""Thin Celery tasks: beat runs the sweep and the delivery every minute; services queue delivery after commit."""

from __future__ import annotations

from celery import shared_task

from tickets.services.notifications import outbox_deliver
from tickets.sweeps import sweep_deadlines


@shared_task(ignore_result=False)
def sweep_deadlines_task() -> dict[str, int]:
    result = sweep_deadlines()
    if result.breached or result.warned:
        deliver_outbox.delay()
    return {"warned": result.warned, "breached": result.breached}


@shared_task(ignore_result=False)
def deliver_outbox() -> int:
    total = 0
    while delivered := outbox_deliver():
        total += delivered
    return total
