"""Real processes for the fault tests: Celery worker and beat, gunicorn, the SMS gateway, and the servers' controls.

Every process starts in its own session so that ``kill()`` is a kill -9 of the whole process group (a prefork worker's
children die with it, as in a container that is killed). PostgreSQL and Redis are the throwaway servers of
scripts/with-test-services.sh, which exports how to restart them.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import requests
from django.db import connection

from hotline.celery import app as celery_app
from org.models import Department, User
from tickets.models import Deadline, Notification, Outbox, SmsMessage, SupervisionNotice, Ticket, TicketEvent

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def database_url() -> str:
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def wait_until(check: Callable[[], bool], *, timeout: float, what: str, every: float = 0.05) -> None:
    """Poll ``check`` (real processes run in real time) until it holds; fail after ``timeout`` seconds."""
    ticks = int(timeout / every)
    for _ in range(ticks):
        if check():
            return
        threading.Event().wait(every)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")


class Process:
    def __init__(self, name: str, argv: list[str], env: dict[str, str], log: Path) -> None:
        self.name, self.log = name, log
        with log.open("ab") as out:
            self.popen = subprocess.Popen(
                argv, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
            )

    def alive(self) -> bool:
        return self.popen.poll() is None

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def kill(self) -> None:
        """kill -9 of the process and its children."""
        if self.alive():
            os.killpg(self.popen.pid, signal.SIGKILL)
        self.popen.wait(timeout=30)
        with contextlib.suppress(ProcessLookupError):  # children that outlived their parent: killed again
            os.killpg(self.popen.pid, signal.SIGKILL)

    def stop(self) -> None:
        if self.alive():
            os.killpg(self.popen.pid, signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.popen.wait(timeout=20)
        self.kill()


@dataclass
class Services:
    """Starts the project's processes against the test database; stops all of them at the end of the test."""

    tmp: Path
    env: dict[str, str]
    processes: list[Process] = field(default_factory=list)
    count: int = 0

    def start(self, name: str, argv: list[str], env: dict[str, str] | None = None) -> Process:
        self.count += 1
        process = Process(name, argv, {**self.env, **(env or {})}, self.tmp / f"{self.count:02d}-{name}.log")
        self.processes.append(process)
        return process

    def worker(self, env: dict[str, str] | None = None, *, concurrency: int = 2, wait: bool = True) -> Process:
        """The compose file's worker (prefork); with ``wait``, once it consumes."""
        self.count += 1
        argv = [str(BIN / "celery"), "-A", "hotline", "worker", "--loglevel=INFO", f"--concurrency={concurrency}"]
        argv += [f"--hostname=fault{self.count}@%h", "--without-gossip", "--without-mingle"]
        worker = self.start("worker", argv, env)
        if wait:
            wait_until(lambda: "ready." in worker.output() or not worker.alive(), timeout=90, what="the worker")
            assert worker.alive(), worker.output()[-3000:]
        return worker

    def beat(self, env: dict[str, str] | None = None, *, wait: bool = True) -> Process:
        argv = [str(BIN / "celery"), "-A", "hotline", "beat", "--loglevel=INFO", f"--schedule={self.tmp}/beat"]
        beat = self.start("beat", argv, env)
        if wait:
            wait_until(lambda: "beat: Starting" in beat.output() or not beat.alive(), timeout=90, what="beat")
            assert beat.alive(), beat.output()[-3000:]
        return beat

    def web(self, env: dict[str, str] | None = None, *, workers: int = 3) -> str:
        """gunicorn as the image runs it (gunicorn.conf.py); returns its base URL once /healthz answers."""
        port = free_port()
        server = self.start(
            "gunicorn",
            [str(BIN / "gunicorn"), "hotline.wsgi"],
            {"PORT": str(port), "WEB_CONCURRENCY": str(workers), **(env or {})},
        )
        base = f"http://127.0.0.1:{port}"

        def healthy() -> bool:
            assert server.alive(), server.output()[-3000:]
            try:
                return requests.get(f"{base}/healthz", timeout=60).status_code == 200
            except requests.ConnectionError:
                return False

        wait_until(healthy, timeout=120, what="gunicorn", every=0.2)
        for _ in range(4 * workers):  # every worker has loaded the URLs and views before the test measures anything
            requests.get(f"{base}/healthz", timeout=60)
        return base

    def gateway(self, refused: list[str] | None = None) -> str:
        """The SMS gateway process (tests/faults/sms_gateway.py); returns its base URL."""
        port = free_port()
        self.start("sms-gateway", [sys.executable, "-m", "tests.faults.sms_gateway", str(port), *(refused or [])])
        base = f"http://127.0.0.1:{port}"

        def up() -> bool:
            try:
                return requests.get(f"{base}/state", timeout=5).status_code == 200
            except requests.ConnectionError:
                return False

        wait_until(up, timeout=30, what="the SMS gateway")
        return base

    def stop_all(self) -> None:
        for process in reversed(self.processes):
            process.stop()


def services_for(tmp: Path) -> Iterator[Services]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "hotline.settings",
        "DATABASE_URL": database_url(),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",  # where the tests reach the servers, whatever another module set
        "HOTLINE_VAR_DIR": str(tmp),
        "HOTLINE_SWEEP_SECONDS": "1",
        "PYTHONUNBUFFERED": "1",
    }
    services = Services(tmp=tmp, env=env)
    celery_app.control.purge()  # no task queued by an earlier test's beat runs in this one
    try:
        yield services
    finally:
        services.stop_all()
        celery_app.control.purge()


def pg_restart(mode: str = "immediate") -> None:
    """Restart the test PostgreSQL (every connection is cut; with ``immediate``, as after a crash)."""
    tmp = os.environ["HOTLINE_TEST_TMP"]
    argv = [os.environ["HOTLINE_TEST_PG_CTL"], "-D", os.environ["HOTLINE_TEST_PG_DATA"], "-m", mode, "-w"]
    argv += ["-l", f"{tmp}/pg.log", "restart"]
    if os.getuid() == 0:  # scripts/with-test-services.sh runs the server as the postgres user
        argv = ["runuser", "-u", "postgres", "--", *argv]
    subprocess.run(argv, check=True, capture_output=True, timeout=120)


# --- The clocks and what must come of each one ------------------------------------------------------------------


def due_clocks(department: Department, count: int) -> None:
    """``count`` dispatched tickets whose response clock is past due (warned already: the sweep only breaches)."""
    tickets = Ticket.objects.bulk_create(
        Ticket(
            number=f"20200202{i:06d}",
            channel="phone",
            kind="complaint",
            content="x",
            status="dispatched",
            lead_department=department,
        )
        for i in range(count)
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT CURRENT_TIMESTAMP")
        now = cursor.fetchone()[0]
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


@dataclass(frozen=True)
class Progress:
    breached: int
    events: int
    notices: int
    outbox: int
    outbox_waiting: int
    notifications: int
    sms: int
    sms_waiting: int

    @classmethod
    def now(cls) -> Progress:
        return cls(
            breached=Deadline.objects.exclude(breached_at=None).count(),
            events=TicketEvent.objects.filter(verb="response_breached").count(),
            notices=SupervisionNotice.objects.count(),
            outbox=Outbox.objects.filter(kind="breach").count(),
            outbox_waiting=Outbox.objects.filter(delivered_at=None).count(),
            notifications=Notification.objects.count(),
            sms=SmsMessage.objects.count(),
            sms_waiting=SmsMessage.objects.filter(state=SmsMessage.State.PENDING).count(),
        )


def breached_count() -> int:
    return Deadline.objects.exclude(breached_at=None).count()


def heads_with_phones(department: Department) -> list[User]:
    heads = list(User.objects.filter(department=department, role=User.Role.HEAD, is_active=True))
    for n, head in enumerate(heads):
        head.phone = f"1390000{n:04d}"
        head.save(update_fields=["phone"])
    return heads


def gateway_state(base: str) -> dict:
    state: dict = requests.get(f"{base}/state", timeout=10).json()
    return state
