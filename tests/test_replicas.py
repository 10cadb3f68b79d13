"""The database router against a real streaming replica (scripts/with-test-services.sh starts it with pg_basebackup).

Two gunicorn servers read the same primary and replica: one allows a replica 60 s behind, the other none at all.
With the replica's replay paused, a ticket committed on the primary is missing from the supervisors' reads on the first
(they come from the replica) until the same browser writes something (then it reads the primary); the strict server
and /healthz fall back to the primary at once; a stopped replica is passed over, and used again once it is back.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import subprocess
import sys
import threading
from collections.abc import Iterator, Mapping
from pathlib import Path
from urllib.parse import quote, urlencode

import psycopg2
import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.utils import timezone

from org.calendar import DatabaseCalendar
from org.models import CalendarDay, CalendarYear, User
from tests.conftest import DEMO_PASSWORD
from tests.factories import Actors, receive
from tests.test_production_smoke import database_url, free_port
from tickets.deadlines import due_after, nth_working_day_after
from tickets.models import Deadline

ROOT = Path(__file__).resolve().parent.parent
WORD = "井盖缺失"


def replica_url() -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}@127.0.0.1:{os.environ['HOTLINE_TEST_REPLICA_PORT']}/{db['NAME']}"


def pg_ctl(*args: str) -> None:
    argv = [os.environ["HOTLINE_TEST_PG_CTL"], "-D", os.environ["HOTLINE_TEST_REPLICA_PG_DATA"], *args]
    if os.geteuid() == 0:
        argv = ["runuser", "-u", "postgres", "--", *argv]
    subprocess.run(argv, check=True, capture_output=True)


def on_replica(sql: str) -> object:
    with psycopg2.connect(replica_url().replace(connection.settings_dict["USER"], "postgres", 1)) as conn:
        conn.autocommit = True
        with conn.cursor() as cursor:
            cursor.execute(sql)
            return cursor.fetchone()[0] if cursor.description else None


def replica_caught_up(*, replayed: bool = True) -> None:
    """Wait (a condition, not a fixed time) until the replica has replayed everything the primary committed, or with
    ``replayed`` False only received it (its replay paused: it then knows how far behind it is)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()::text")
        target = cursor.fetchone()[0]
    position = "pg_last_wal_replay_lsn()" if replayed else "pg_last_wal_receive_lsn()"
    for _ in range(300):
        if on_replica(f"SELECT {position} >= '{target}'::pg_lsn"):
            return
        threading.Event().wait(0.05)
    raise AssertionError("the replica did not catch up within 15 s")


def get(base: str, path: str, cookies: dict[str, str]) -> tuple[int, dict[str, str], str]:
    return request(base, "GET", path, cookies)


def request(
    base: str, method: str, path: str, cookies: dict[str, str], form: dict[str, str] | None = None
) -> tuple[int, dict[str, str], str]:
    host, port = base.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=20)
    try:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items()), "Referer": base + "/"}
        body = None
        if form is not None:
            body, headers["Content-Type"] = urlencode(form), "application/x-www-form-urlencoded"
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        headers = dict(response.getheaders())
        headers["Set-Cookie"] = "; ".join(response.msg.get_all("Set-Cookie") or [])
        return response.status, headers, response.read().decode()
    finally:
        conn.close()


def saved_search(base: str, cookies: dict[str, str]) -> dict[str, str]:
    """Save a view as a user would (the form, its CSRF token): the cookies the browser holds after the write."""
    _status, headers, page = get(base, "/tickets/", cookies)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    csrf = re.search(r"csrftoken=([^;]+)", headers.get("Set-Cookie", ""))
    assert token is not None
    held = {**cookies, **({"csrftoken": csrf.group(1)} if csrf else {})}
    form = {"csrfmiddlewaretoken": token.group(1), "name": "井盖", "query": f"q={WORD}"}
    status, headers, _body = request(base, "POST", "/tickets/saved/", held, form)
    assert status == 302, status
    wrote = re.search(r"hotline_wrote=([^;]+)", headers.get("Set-Cookie", ""))
    assert wrote is not None
    return {**held, "hotline_wrote": wrote.group(1)}


@pytest.fixture(scope="module")
def servers(django_db_setup: None, django_db_blocker) -> Iterator[dict[str, str]]:
    with django_db_blocker.unblock():
        primary, replica = database_url(), replica_url()
    started, bases = [], {}
    for name, max_lag in (("tolerant", "60"), ("strict", "0")):
        port = free_port()
        env = {
            **os.environ,
            "HOTLINE_ENV": "test",
            "ALLOWED_HOSTS": "127.0.0.1",
            "DATABASE_URL": primary,
            "DATABASE_REPLICA_URLS": replica,
            "REPLICA_MAX_LAG_SECONDS": max_lag,
            "REPLICA_CHECK_SECONDS": "0",
            "REPLICA_STICKY_SECONDS": "30",
        }
        gunicorn = Path(sys.executable).with_name("gunicorn")
        argv = [str(gunicorn), "hotline.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1"]
        started.append(subprocess.Popen(argv, cwd=ROOT, env=env))
        bases[name] = f"http://127.0.0.1:{port}"
    try:
        for base in bases.values():
            for _ in range(300):
                try:
                    if get(base, "/healthz", {})[0] == 200:
                        break
                except OSError:
                    pass
                threading.Event().wait(0.1)
            else:
                raise AssertionError(f"gunicorn at {base} did not answer /healthz within 30 s")
        yield bases
    finally:
        for server in started:
            server.terminate()
            server.wait(timeout=30)


def session_of(user: User) -> dict[str, str]:
    client = Client()
    client.force_login(user)
    return {"sessionid": client.cookies["sessionid"].value}


def found(base: str, cookies: dict[str, str]) -> tuple[bool, str]:
    status, headers, body = get(base, f"/tickets/?q={quote(WORD)}", cookies)
    assert status == 200, body[:500]
    return "data-number=" in body, headers.get("X-Hotline-Read-From", "")


def test_reads_follow_the_replica_and_fall_back_to_the_primary(
    servers: dict[str, str], transactional_db: None, actors: Actors
) -> None:
    cookies = session_of(actors.reviewer)
    receive(actors, content="路灯不亮")
    replica_caught_up()
    assert found(servers["tolerant"], cookies) == (False, "replica1")
    _status, headers, _body = get(servers["tolerant"], "/workbench/", cookies)
    assert "X-Hotline-Read-From" not in headers  # not a supervisors' read: the primary, without asking

    on_replica("SELECT pg_wal_replay_pause()")
    try:
        receive(actors, content=f"人行道{WORD}，很危险")
        replica_caught_up(replayed=False)  # received, not replayed: under load the WAL may still be on its way
        # The replica has not replayed the new ticket: the tolerant server's search, read there, misses it.
        assert found(servers["tolerant"], cookies) == (False, "replica1")
        # The strict server allows no lag: it reads the primary, and says why in /healthz.
        assert found(servers["strict"], cookies) == (True, "primary")
        health = get(servers["strict"], "/healthz", {})[2]
        assert '"replica1": "lagging' in health and "reads served by the primary" in health
        # A browser that wrote a moment ago reads the primary, wherever it reads next.
        assert found(servers["tolerant"], saved_search(servers["tolerant"], cookies)) == (True, "primary")
    finally:
        on_replica("SELECT pg_wal_replay_resume()")
    replica_caught_up()
    assert found(servers["tolerant"], cookies) == (True, "replica1")

    pg_ctl("-m", "fast", "-w", "stop")
    try:
        assert found(servers["tolerant"], cookies) == (True, "primary")
        assert '"replica1": "unreachable; reads served by the primary"' in get(servers["tolerant"], "/healthz", {})[2]
    finally:
        pg_ctl("-l", os.environ["HOTLINE_TEST_REPLICA_PG_DATA"] + ".log", "-w", "start")
    replica_caught_up()
    assert found(servers["tolerant"], cookies) == (True, "replica1")
    assert '"replica1": "ok' in get(servers["tolerant"], "/healthz", {})[2]


def post_json(base: str, path: str, body: Mapping[str, object], token: str = "") -> tuple[int, dict[str, object]]:
    host, port = base.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=20)
    try:
        headers = {"Content-Type": "application/json", **({"Authorization": f"Token {token}"} if token else {})}
        conn.request("POST", path, body=json.dumps(body), headers=headers)
        response = conn.getresponse()
        return response.status, json.loads(response.read() or b"{}")
    finally:
        conn.close()


def test_a_page_read_from_a_replica_behind_a_calendar_edit_does_not_hand_its_calendar_to_the_next_intake(
    servers: dict[str, str], transactional_db: None, actors: Actors
) -> None:
    """The calendar a process keeps is kept under the stamp of the database it was read from (org/reference.py). A
    supervisor's dashboard read from a replica that has not replayed the admin's new holiday keeps the old calendar;
    the next intake in the same process, on the primary, must still count the holiday."""
    base = servers["tolerant"]  # one worker: the dashboard and the intake share its kept calendar
    status, answer = post_json(base, "/api/v1/auth/token/", {"username": "operator", "password": DEMO_PASSWORD})
    assert status == 200, answer
    token = str(answer["token"])
    supervisor = session_of(actors.supervisor)
    assert get(base, "/supervision/", supervisor)[0] == 200
    today = timezone.localdate()
    for year in (today.year, today.year + 1):  # stored years (a test database may lack next year's)
        CalendarYear.objects.get_or_create(year=year)
    holiday = nth_working_day_after(today, 1, DatabaseCalendar())  # within any intake clock started today
    replica_caught_up()
    on_replica("SELECT pg_wal_replay_pause()")
    try:
        CalendarDay.objects.create(year_id=holiday.year, date=holiday, kind=CalendarDay.Kind.HOLIDAY, name="测试")
        replica_caught_up(replayed=False)
        status, headers, _body = get(base, "/supervision/", supervisor)
        assert status == 200 and headers.get("X-Hotline-Read-From") == "replica1"  # without the holiday
        body = {"channel": "phone", "kind": "complaint", "content": "路灯不亮，请尽快修理"}
        status, answer = post_json(base, "/api/v1/tickets/", body, token)
        assert status == 201, answer
    finally:
        on_replica("SELECT pg_wal_replay_resume()")
    clock = Deadline.objects.get(ticket__number=answer["number"], kind="intake")
    assert clock.working_days is not None
    calendar = DatabaseCalendar()  # read now: with the holiday
    expected = due_after(
        clock.started_at, clock.working_days, calendar, close_of_business=settings.HOTLINE_CLOSE_OF_BUSINESS
    )
    assert clock.due_at == expected.at
    assert not calendar.is_working_day(holiday)
