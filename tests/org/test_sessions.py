"""Sessions end after 30 minutes idle and 12 hours after login, whatever the activity."""

from __future__ import annotations

from datetime import timedelta

from django.test import Client

from org.models import User

START = "2026-11-25T08:00:00+08:00"


def logged_in(client: Client, user: User, time_machine) -> None:
    time_machine.move_to(START, tick=False)
    client.force_login(user)
    assert client.get("/console/").status_code == 200


def test_a_session_survives_29_idle_minutes(operator: User, client: Client, time_machine) -> None:
    logged_in(client, operator, time_machine)
    time_machine.shift(timedelta(minutes=29))
    assert client.get("/console/").status_code == 200


def test_a_session_ends_after_30_idle_minutes(operator: User, client: Client, time_machine) -> None:
    logged_in(client, operator, time_machine)
    time_machine.shift(timedelta(minutes=31))
    response = client.get("/console/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_an_active_session_ends_12_hours_after_login(operator: User, client: Client, time_machine) -> None:
    logged_in(client, operator, time_machine)
    for _ in range(11 * 3):  # a request every 20 minutes for 11 hours keeps it alive
        time_machine.shift(timedelta(minutes=20))
        assert client.get("/console/").status_code == 200
    for _ in range(4):
        time_machine.shift(timedelta(minutes=20))
        client.get("/console/")
    response = client.get("/console/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_a_page_refreshing_itself_does_not_keep_an_idle_session_alive(
    operator: User, client: Client, time_machine
) -> None:
    logged_in(client, operator, time_machine)
    for _ in range(31 * 4):  # an open console asks for its badge every 15 seconds for 31 minutes
        time_machine.shift(timedelta(seconds=15))
        client.get("/notifications/badge/", headers={"X-Hotline-Poll": "1"})
    response = client.get("/console/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
