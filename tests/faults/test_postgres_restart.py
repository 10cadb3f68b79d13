"""PostgreSQL restarted (as after a crash) during a sweep of 1,000 clocks: the running sweep fails cleanly, the next
one processes every clock exactly once, and the web app answers again without being restarted."""

from __future__ import annotations

import re
from functools import partial

import pytest
import requests
from django.db import connection, connections

from org.models import User
from tests.conftest import DEMO_PASSWORD
from tests.faults.harness import Progress, Services, due_clocks, pg_restart, wait_until
from tickets.models import Notification, Outbox, SupervisionNotice, TicketEvent

COUNT = 1000


def swept_some(_: None = None) -> bool:
    return Progress.now().breached > 0


def consistent_counts() -> tuple[int, int, int]:
    """Breached clocks, their events and their notices, read in one statement (one snapshot)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT (SELECT count(*) FROM tickets_deadline WHERE breached_at IS NOT NULL),"
            " (SELECT count(*) FROM tickets_ticketevent WHERE verb = 'response_breached'),"
            " (SELECT count(*) FROM tickets_supervisionnotice)"
        )
        row = cursor.fetchone()
    return row[0], row[1], row[2]


def all_done() -> bool:
    p = Progress.now()
    return p.breached == COUNT and p.outbox == COUNT and p.outbox_waiting == 0


def test_a_postgres_restart_during_a_sweep_loses_and_doubles_nothing_and_the_web_app_recovers(
    services: Services, handler: User, capsys: pytest.CaptureFixture[str]
) -> None:
    department = handler.department
    assert department is not None
    due_clocks(department, COUNT)
    web = services.web(workers=2)
    token = requests.post(
        f"{web}/api/v1/auth/token/", json={"username": "operator", "password": DEMO_PASSWORD}, timeout=10
    ).json()["token"]
    api = requests.Session()
    api.headers["Authorization"] = f"Token {token}"
    assert api.get(f"{web}/api/v1/tickets/", timeout=10).status_code == 200
    env = {"SWEEP_BATCH_SIZE": "5"}
    worker, _beat = services.worker(env), services.beat(env)

    wait_until(partial(swept_some), timeout=120, what="the sweep to start")
    restarted_at = Progress.now().breached
    pg_restart("immediate")
    connections.close_all()  # this process's connection was cut too
    assert 0 < restarted_at < COUNT
    breached, events, notices = consistent_counts()
    assert breached == events == notices  # no half-written batch survived the crash

    # The web app's workers reconnect on their next request (CONN_HEALTH_CHECKS): no 5xx, no restart.
    answers = [api.get(f"{web}/api/v1/tickets/", timeout=10).status_code for _ in range(6)]
    answers += [requests.get(f"{web}/healthz", timeout=10).status_code for _ in range(4)]
    assert answers == [200] * 10

    wait_until(all_done, timeout=240, what="every clock after the restart", every=0.5)
    assert worker.alive()
    log = worker.output()
    assert re.search(r"Task tickets\.tasks\.sweep_deadlines_task\[[^]]+\] raised unexpected: OperationalError", log)
    assert re.search(r"Task tickets\.tasks\.sweep_deadlines_task\[[^]]+\] succeeded", log)  # on a fresh connection
    assert TicketEvent.objects.filter(verb="response_breached").count() == COUNT
    assert TicketEvent.objects.filter(verb="response_breached").values("deadline").distinct().count() == COUNT
    assert SupervisionNotice.objects.count() == COUNT
    assert Outbox.objects.filter(kind="breach").count() == COUNT
    heads = User.objects.filter(department=department, role=User.Role.HEAD, is_active=True).count()
    assert Notification.objects.count() == COUNT * heads
    with capsys.disabled():
        print(
            f"\n[fault] PostgreSQL restarted (immediate) with {restarted_at}/{COUNT} clocks breached;"
            f" web answers after the restart: {answers}"
        )
