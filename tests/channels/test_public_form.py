"""The public web form, the mayor's mailbox and tracking: saved once, rate limited, no disclosure by guessing."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from django.core.cache import cache
from django.test import Client

from tests.factories import Actors, department
from tickets.models import Category, Ticket


@pytest.fixture(autouse=True)
def fresh_limits() -> Iterator[None]:
    cache.clear()  # rate-limit counters live in the shared cache (Redis here)
    yield
    cache.clear()


def form(**more: str) -> dict[str, str]:
    data = {
        "kind": "complaint",
        "category": str(Category.objects.get(code="zsrm").pk),
        "address": "江北区望江路 9 号",
        "content": "夜间施工噪音扰民",
        "name": "李女士",
        "phone": "13900002222",
        "submission_key": "k-1",
    }
    data.update(more)
    return data


def test_a_web_submission_gives_a_number_and_a_tracking_code(actors: Actors) -> None:
    response = Client().post("/submit/", form())
    body = response.content.decode()
    assert response.status_code == 200 and "已收到，谢谢" in body
    ticket = Ticket.objects.get()
    assert ticket.channel == "web" and ticket.caller is not None and ticket.caller.phone == "13900002222"
    code = re.search(r'data-testid="code">(\w+)<', body)
    assert code and ticket.tracking_code_hash and code.group(1) not in ticket.tracking_code_hash


def test_a_double_submit_saves_one_ticket(actors: Actors) -> None:
    client = Client()
    first, second = client.post("/submit/", form()), client.post("/submit/", form())
    assert Ticket.objects.count() == 1
    number = Ticket.objects.get().number
    assert number in first.content.decode() and number in second.content.decode()


def test_a_mailbox_letter_needs_its_office(actors: Actors) -> None:
    missing = Client().post("/mailbox/", form(submission_key="m-1"))
    assert missing.status_code == 400 and Ticket.objects.count() == 0
    Client().post("/mailbox/", form(submission_key="m-2", office=str(department("jiangbei").pk)))
    ticket = Ticket.objects.get()
    assert ticket.channel == "mailbox" and ticket.addressed_to == department("jiangbei")


def test_submissions_are_rate_limited_per_ip_and_per_phone(actors: Actors, settings) -> None:
    settings.PUBLIC_SUBMIT_RATE_IP, settings.PUBLIC_SUBMIT_RATE_PHONE = "3/h", "2/h"
    client = Client()
    codes = [
        client.post("/submit/", form(submission_key=f"p-{i}"), REMOTE_ADDR="10.1.1.1").status_code for i in range(3)
    ]
    assert codes == [200, 200, 429]  # the third from this phone is refused
    other = [
        client.post(
            "/submit/", form(submission_key=f"q-{i}", phone=f"1390000{i:04d}"), REMOTE_ADDR="10.2.2.2"
        ).status_code
        for i in range(4)
    ]
    assert other == [200, 200, 200, 429]  # the fourth from this address
    assert "请稍后再试" in client.post("/submit/", form(submission_key="z"), REMOTE_ADDR="10.2.2.2").content.decode()
    assert Ticket.objects.count() == 5


def test_tracking_shows_status_only_for_the_right_pair(actors: Actors) -> None:
    body = Client().post("/submit/", form()).content.decode()
    match = re.search(r'data-testid="code">(\w+)<', body)
    assert match
    number, code = Ticket.objects.get().number, match.group(1)
    right = Client().post("/track/", {"number": number, "code": code.lower()}).content.decode()
    assert 'data-testid="tracked"' in right and "已受理" in right
    wrong = Client().post("/track/", {"number": number, "code": "WRONG12345"}).content.decode()
    unknown = Client().post("/track/", {"number": "20990101000001", "code": code}).content.decode()
    assert 'data-testid="not-found"' in wrong and 'data-testid="not-found"' in unknown
    strip = lambda html: re.sub(r'value="[^"]*"|name="csrfmiddlewaretoken"[^>]*', "", html)  # noqa: E731
    assert strip(wrong) == strip(unknown)  # an unknown number and a wrong code answer the same way


def test_a_thousand_wrong_guesses_disclose_nothing_and_engage_the_limit(actors: Actors) -> None:
    Client().post("/submit/", form())
    number = Ticket.objects.get().number
    client = Client()
    statuses, disclosed = [], 0
    for i in range(1000):
        response = client.post("/track/", {"number": number, "code": f"GUESS{i:05d}"}, REMOTE_ADDR="10.9.9.9")
        statuses.append(response.status_code)
        disclosed += 'data-testid="tracked"' in response.content.decode()
    assert disclosed == 0
    assert statuses.count(200) == 20 and statuses.count(429) == 980  # TRACK_RATE_IP = 20/h
