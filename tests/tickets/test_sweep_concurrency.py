"""Two sweeps at once, and a sweep killed half way: every breach is recorded exactly once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from datetime import timedelta

import psycopg2
from django.db import connection, connections
from django.utils import timezone

from tickets.models import Deadline, Outbox, SupervisionNotice, Ticket, TicketEvent
from tickets.sweeps import sweep_deadlines

COUNT = 1000


def due_deadlines(department) -> None:
    now = timezone.now()
    tickets = Ticket.objects.bulk_create(
        Ticket(
            number=f"20200101{i:06d}",
            channel="phone",
            kind="complaint",
            content="x",
            status="dispatched",
            lead_department=department,
        )
        for i in range(COUNT)
    )
    Deadline.objects.bulk_create(
        Deadline(
            ticket=t,
            department=department,
            kind="response",
            started_at=now - timedelta(days=2),
            due_at=now - timedelta(minutes=1),
            warn_at=now - timedelta(days=1),
            warned_at=now,
        )
        for t in tickets
    )


def test_two_sweeps_running_together_record_each_breach_once(transactional_db, handler) -> None:
    due_deadlines(handler.department)
    barrier = threading.Barrier(2)
    results = []

    def run() -> None:
        barrier.wait()
        try:
            results.append(sweep_deadlines(batch_size=10).breached)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(results) == COUNT
    assert all(r > 0 for r in results), results  # both really worked, side by side
    assert TicketEvent.objects.filter(verb="response_breached").count() == COUNT
    assert SupervisionNotice.objects.count() == COUNT
    assert Outbox.objects.filter(kind="breach").count() == COUNT


def test_a_sweep_killed_half_way_loses_nothing_when_run_again(transactional_db, handler) -> None:
    due_deadlines(handler.department)
    victim = Deadline.objects.order_by("pk")[COUNT // 2]
    # Another transaction holds the event key the sweep will need half way: the sweep blocks there, mid-batch.
    settings = connection.settings_dict
    blocker = psycopg2.connect(
        dbname=settings["NAME"], user=settings["USER"], host=settings["HOST"], port=settings["PORT"]
    )
    with blocker.cursor() as cursor:
        cursor.execute(
            "INSERT INTO tickets_ticketevent (ticket_id, verb, from_status, to_status, note, payload, deadline_id, at)"
            " VALUES (%s, 'response_breached', '', '', '', '{}', %s, now())",
            [victim.ticket_id, victim.pk],
        )
    env = os.environ | {"DJANGO_SETTINGS_MODULE": "hotline.settings", "DATABASE_URL": _url(settings)}
    sweep = subprocess.Popen([sys.executable, "manage.py", "sweep_deadlines", "--batch-size", "100"], env=env)
    try:
        _wait_until_blocked(blocker, settings["NAME"])
        assert 0 < Deadline.objects.exclude(breached_at=None).count() < COUNT  # some batches committed, not all
        sweep.send_signal(signal.SIGKILL)
        sweep.wait(timeout=30)
    finally:
        blocker.rollback()
        blocker.close()
    sweep_deadlines()
    assert TicketEvent.objects.filter(verb="response_breached").count() == COUNT
    assert TicketEvent.objects.filter(verb="response_breached", deadline=victim).count() == 1
    assert Deadline.objects.filter(breached_at=None).count() == 0


def _url(settings: dict) -> str:
    return f"postgres://{settings['USER']}@{settings['HOST']}:{settings['PORT']}/{settings['NAME']}"


def _wait_until_blocked(blocker, dbname: str) -> None:
    """Wait (bounded) until the sweep process waits on the lock our transaction holds."""
    watcher = psycopg2.connect(dbname=dbname, user=blocker.info.user, host=blocker.info.host, port=blocker.info.port)
    watcher.autocommit = True
    try:
        for _ in range(600):
            with watcher.cursor() as cursor:
                cursor.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = %s", [dbname]
                )
                if cursor.fetchone()[0]:
                    return
            threading.Event().wait(0.05)
        raise AssertionError("the sweep never reached the blocked row")
    finally:
        watcher.close()
