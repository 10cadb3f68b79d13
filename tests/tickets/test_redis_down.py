"""Redis stopped while a ticket is dispatched: the request succeeds; the notification goes out once Redis is back."""

from __future__ import annotations

import os
import subprocess
import threading
from collections.abc import Iterator
from urllib.parse import urlparse

import pytest
from celery.contrib.testing.worker import start_worker
from rest_framework.test import APIClient

from hotline.celery import app as celery_app
from tests.factories import Actors, department, receive
from tickets.models import Notification, Outbox
from tickets.tasks import deliver_outbox

PORT = str(urlparse(os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")).port)
TMP = os.environ.get("HOTLINE_TEST_TMP", "")  # set by scripts/with-test-services.sh


def redis_ping() -> bool:
    return subprocess.run(["redis-cli", "-p", PORT, "ping"], capture_output=True, text=True).stdout.strip() == "PONG"


def redis_start() -> None:
    subprocess.run(
        [
            "redis-server",
            "--bind",
            "127.0.0.1",
            "--port",
            PORT,
            "--save",
            "",
            "--appendonly",
            "no",
            "--daemonize",
            "yes",
            "--pidfile",
            f"{TMP}/redis.pid",
            "--logfile",
            f"{TMP}/redis.log",
            "--dir",
            TMP,
        ],
        check=True,
    )
    for _ in range(100):
        if redis_ping():
            return
        threading.Event().wait(0.05)
    raise AssertionError("Redis did not come back")


@pytest.fixture
def redis_stopped() -> Iterator[None]:
    subprocess.run(["redis-cli", "-p", PORT, "shutdown", "nosave"], capture_output=True)
    assert not redis_ping()
    yield
    if not redis_ping():
        redis_start()


def test_dispatch_succeeds_without_redis_and_the_notification_follows(
    transactional_db, actors: Actors, redis_stopped
) -> None:
    ticket = receive(actors)
    client = APIClient()
    client.force_authenticate(actors.operator)
    response = client.post(
        f"/api/v1/tickets/{ticket.number}/dispatch/", {"department": department("cgj").pk}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["status"] == "dispatched"
    waiting = Outbox.objects.get(ticket=ticket)
    assert waiting.delivered_at is None and not Notification.objects.exists()

    redis_start()
    with start_worker(celery_app, perform_ping_check=False, pool="solo", shutdown_timeout=10):
        assert deliver_outbox.delay().get(timeout=30) == 1  # what beat sends every minute
    waiting.refresh_from_db()
    assert waiting.delivered_at is not None
    assert set(Notification.objects.values_list("user__username", flat=True)) == {"handler", "head"}
