"""A worker is nudged once for many writers (hotline/broker.py): while a nudge waits for a worker, writers that commit
notifications send none, and the delivery that nudge starts reads their rows; once it has started, the next writer
nudges again."""

from __future__ import annotations

import threading

import redis
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.core.cache import cache

from hotline.celery import app as celery_app
from tests.factories import Actors, department
from tickets import services
from tickets.models import Outbox


def waiting_nudges() -> int:
    """Messages in the broker's queue (Redis, the default queue ``celery``)."""
    return int(redis.Redis.from_url(settings.CELERY_BROKER_URL).llen("celery"))


def intake(actors: Actors, n: int) -> None:
    services.ticket_receive_dispatch(
        actor=actors.operator, channel="phone", kind="complaint", content=f"路灯不亮（{n}）",
        department_id=department("cgj").pk,
    )  # fmt: skip


def test_writers_send_one_nudge_while_it_waits_and_its_delivery_reads_every_row(
    transactional_db: None, actors: Actors
) -> None:
    cache.clear()
    celery_app.control.purge()
    intake(actors, 1)
    assert waiting_nudges() == 1
    for n in range(2, 6):
        intake(actors, n)
    assert waiting_nudges() == 1  # four writers committed behind the waiting nudge and sent none
    assert Outbox.objects.filter(delivered_at=None).count() == 5

    with start_worker(celery_app, perform_ping_check=False, pool="solo", shutdown_timeout=10):
        for _ in range(600):  # the one nudge's delivery
            if not Outbox.objects.filter(delivered_at=None).exists():
                break
            threading.Event().wait(0.05)
    assert not Outbox.objects.filter(delivered_at=None).exists()
    assert waiting_nudges() == 0

    intake(actors, 6)  # the delivery cleared the mark before it read: this writer nudges again
    assert waiting_nudges() == 1
    celery_app.control.purge()
