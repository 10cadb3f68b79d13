"""Redis stopped for a minute while ten clients create, dispatch, supervise and track tickets over HTTP on gunicorn:
every request answers normally and none waits on the broker; once Redis is back, beat and the worker deliver what was
written meanwhile (in-app notifications and the 督办 text messages, through a real SMS gateway process).

The outage lasts HOTLINE_FAULT_REDIS_OUTAGE_SECONDS (60, as the issue names). Latencies are printed, not asserted,
beyond the sanity bound that no request took 5 s (a request waiting on a reconnecting broker took ~19 s), or three
times the slowest one before the outage when the machine is so loaded that requests with Redis up took that long.
"""

from __future__ import annotations

import os
import re
import statistics
import subprocess
import threading
import time
from dataclasses import dataclass

import pytest
import requests

from org.models import User
from tests.conftest import DEMO_PASSWORD
from tests.factories import department
from tests.faults.harness import Progress, Services, gateway_state, heads_with_phones, wait_until
from tests.tickets.test_redis_down import PORT, redis_ping, redis_start
from tickets.models import Category, Notification, Outbox, SmsMessage, Ticket

CLIENTS = 10
BEFORE_SECONDS = 15.0
OUTAGE_SECONDS = float(os.environ.get("HOTLINE_FAULT_REDIS_OUTAGE_SECONDS", "60"))
AFTER_SECONDS = 10.0
SLOWEST_ALLOWED = 5.0
WARM_UP_LOOPS = 2
THINK_SECONDS = 0.2  # between two loops of a client: ten people at work, not a flood that only measures queueing


@dataclass
class Call:
    phase: str
    what: str
    status: int
    seconds: float


class Load:
    """Ten clients, each a loop of: create a ticket, dispatch it, (every 4th) supervise it, track it as a citizen."""

    def __init__(self, web: str, tokens: list[str], supervisor_token: str, category: int, unit: int) -> None:
        self.web, self.tokens, self.supervisor_token = web, tokens, supervisor_token
        self.category, self.unit = category, unit
        self.phase = "warm-up"  # each process's first ticket loads jieba's dictionary: not what is measured here
        self.warmed_up = threading.Barrier(CLIENTS + 1)
        self.calls: list[Call] = []
        self.numbers: list[str] = []
        self.errors: list[str] = []
        self.lock = threading.Lock()
        self.stop = threading.Event()

    def _call(
        self, session: requests.Session, what: str, method: str, path: str, **kwargs: object
    ) -> requests.Response:
        phase = self.phase
        started = time.monotonic()
        try:
            response = session.request(method, f"{self.web}{path}", timeout=30, **kwargs)  # type: ignore[arg-type]
        except requests.RequestException as error:  # a refused or timed-out request counts as failed
            with self.lock:
                self.errors.append(f"{phase} {what}: {error}")
            raise
        with self.lock:
            self.calls.append(Call(phase, what, response.status_code, time.monotonic() - started))
            if response.status_code >= 300:
                self.errors.append(f"{phase} {what} {response.status_code}: {response.text[:300]}")
        return response

    def client(self, n: int) -> None:
        api, supervisor, citizen = requests.Session(), requests.Session(), requests.Session()
        api.headers["Authorization"] = f"Token {self.tokens[n]}"
        supervisor.headers["Authorization"] = f"Token {self.supervisor_token}"
        form = citizen.get(f"{self.web}/track/", timeout=30).text
        found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form)
        assert found is not None
        csrf = found.group(1)
        loop = 0
        while not self.stop.is_set():
            loop += 1
            if loop == WARM_UP_LOOPS + 1:
                self.warmed_up.wait()  # all clients together, then the test starts the clock
            ticket = {
                "channel": "phone",
                "kind": "complaint",
                "category": self.category,
                "content": f"第 {n} 路客户端第 {loop} 次来电：夜间施工噪音扰民",
                "caller": {"name": "王先生", "phone": f"1380000{n:02d}{loop % 100:02d}"},
            }
            created = self._call(api, "create", "POST", "/api/v1/tickets/", json=ticket)
            if created.status_code != 201:
                continue
            number = created.json()["number"]
            with self.lock:
                self.numbers.append(number)
            self._call(api, "dispatch", "POST", f"/api/v1/tickets/{number}/dispatch/", json={"department": self.unit})
            if loop % 4 == 0:
                path = f"/api/v1/tickets/{number}/supervise/"
                self._call(supervisor, "supervise", "POST", path, json={"reason": "请尽快处理"})
            track = {"csrfmiddlewaretoken": csrf, "number": number, "code": "000000"}
            self._call(citizen, "track", "POST", "/track/", data=track, headers={"Referer": f"{self.web}/track/"})
            self.stop.wait(THINK_SECONDS)

    def report(self) -> list[str]:
        lines = []
        for phase in ("before", "outage", "after"):
            seconds = sorted(c.seconds for c in self.calls if c.phase == phase)
            if not seconds:
                continue
            p95 = seconds[max(0, round(0.95 * len(seconds)) - 1)]
            by_kind = ", ".join(
                f"{what} {statistics.median(c.seconds for c in self.calls if c.phase == phase and c.what == what):.2f}"
                for what in ("create", "dispatch", "supervise", "track")
                if any(c.phase == phase and c.what == what for c in self.calls)
            )
            lines.append(
                f"  Redis {phase:<6}: {len(seconds):5d} requests, median {statistics.median(seconds) * 1000:6.0f} ms,"
                f" p95 {p95 * 1000:6.0f} ms, max {seconds[-1] * 1000:6.0f} ms (median s: {by_kind})"
            )
        return lines


def redis_stop() -> None:
    subprocess.run(["redis-cli", "-p", PORT, "shutdown", "nosave"], capture_output=True)
    assert not redis_ping()


def token(web: str, username: str) -> str:
    answer = requests.post(
        f"{web}/api/v1/auth/token/", json={"username": username, "password": DEMO_PASSWORD}, timeout=30
    )
    assert answer.status_code == 200, answer.text
    value: str = answer.json()["token"]
    return value


def sanity_bound(load: Load) -> float:
    """5 s, or three times the slowest request before the outage on a machine so busy that requests took that long
    with Redis up: a request that waited on the broker (~19 s before issue 15) stands out either way."""
    return max(SLOWEST_ALLOWED, 3 * max(c.seconds for c in load.calls if c.phase == "before"))


def p95(load: Load, phase: str) -> float:
    seconds = sorted(c.seconds for c in load.calls if c.phase == phase)
    return seconds[max(0, round(0.95 * len(seconds)) - 1)]


def test_redis_stopped_for_a_minute_under_ten_clients_fails_no_request_and_everything_catches_up(
    services: Services, actors: object, capsys: pytest.CaptureFixture[str]
) -> None:
    unit = department("cgj")
    heads = heads_with_phones(unit)
    gateway = services.gateway()
    env = {
        "SMS_BACKEND": "hotline.sms.HttpGatewayBackend",
        "SMS_GATEWAY_URL": f"{gateway}/send",
        "TRACK_RATE_IP": "100000/h",  # every client comes from 127.0.0.1; the limiter still counts each request
    }
    web = services.web(env)
    worker, beat = services.worker(env), services.beat(env)
    load = Load(
        web,
        [token(web, "operator") for _ in range(CLIENTS)],
        token(web, "supervisor"),
        Category.objects.get(code="zsrm").pk,
        unit.pk,
    )
    clients = [threading.Thread(target=load.client, args=(n,)) for n in range(CLIENTS)]
    for client in clients:
        client.start()
    try:
        load.warmed_up.wait(timeout=180)
        load.phase = "before"
        load.stop.wait(BEFORE_SECONDS)
        redis_stop()
        load.phase = "outage"
        load.stop.wait(OUTAGE_SECONDS)
        waiting_at_return = Progress.now()
        redis_start()
        back_at = time.monotonic()
        load.phase = "after"
        load.stop.wait(AFTER_SECONDS)
    finally:
        load.stop.set()
        for client in clients:
            client.join(timeout=60)
        if not redis_ping():
            redis_start()

    with capsys.disabled():
        print(f"\n[fault] Redis stopped {OUTAGE_SECONDS:.0f} s under {CLIENTS} clients (gunicorn, 3 workers):")
        print("\n".join(load.report()))
    assert load.errors == []  # no 5xx, no 4xx: every request answered normally
    assert {c.phase for c in load.calls} == {"warm-up", "before", "outage", "after"}
    assert sum(c.phase == "outage" for c in load.calls) >= 2 * CLIENTS  # the clients kept working through it
    slowest = max((c for c in load.calls if c.phase in ("outage", "after")), key=lambda c: c.seconds)
    assert slowest.seconds < sanity_bound(load), slowest  # no request waited on the broker
    assert Ticket.objects.count() == len(load.numbers)  # no ticket lost or doubled
    assert Ticket.objects.filter(number__in=load.numbers, status="dispatched").count() == len(load.numbers)

    supervised = sum(c.what == "supervise" for c in load.calls)

    restarts: list[str] = []

    def caught_up() -> bool:
        nonlocal worker
        if not worker.alive():
            # kombu 5.7 sometimes raises while restoring unacknowledged messages as the lost connection closes
            # ("Unrecoverable error: AttributeError … 'hostname'") and the worker exits. The compose file runs it with
            # restart: unless-stopped; this test restarts it the same way, says so, and checks it was that error.
            assert "'NoneType' object has no attribute 'hostname'" in worker.output(), worker.output()[-3000:]
            restarts.append(worker.name)
            worker = services.worker(env)
        p = Progress.now()
        return p.outbox_waiting == 0 and p.sms == supervised * len(heads) and p.sms_waiting == 0

    wait_until(caught_up, timeout=180, what="the outbox to catch up after Redis came back", every=0.5)
    caught_up_after = time.monotonic() - back_at
    recipients = User.objects.filter(department=unit, role__in=["head", "handler"], is_active=True).count()
    dispatched = Outbox.objects.filter(kind="new_ticket").count()
    assert dispatched == len(load.numbers)
    assert Notification.objects.filter(kind="new_ticket").count() == dispatched * recipients
    assert Notification.objects.filter(kind="supervise").count() == supervised * len(heads)
    delivered = sorted(d["key"] for d in gateway_state(gateway)["deliveries"])
    assert delivered == sorted(SmsMessage.objects.values_list("key", flat=True))

    for process in (worker, beat):  # nothing waited on the result backend (it is the same Redis)
        assert "result store" not in process.output() and "Connection to Redis lost" not in process.output()
        assert process.alive()
    before, outage = p95(load, "before"), p95(load, "outage")
    with capsys.disabled():
        print(
            f"  p95 during the outage / before: {outage / before:.2f}; {len(load.numbers)} tickets, 0 failed requests;"
            f" waiting when Redis came back: {waiting_at_return.outbox_waiting} outbox rows,"
            f" {waiting_at_return.sms_waiting} SMS; all delivered {caught_up_after:.0f} s after it came back"
            + (f"; the worker exited on the known kombu error and was restarted {len(restarts)}×" if restarts else "")
        )
