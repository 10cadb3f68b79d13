"""Every bad input found by the issue-15 probe answers 4xx with a Chinese message and changes nothing.

One table: the request, who sends it, and a fragment of the Chinese message the answer must carry. Before each request
the rows of every ticket, review and channel table are counted; after it they must be the same.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import pytest
from django.apps import apps
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from channels.models import ApiClient
from reviews import services as review_services
from reviews.models import Rectification
from tests.factories import Actors, ticket_in
from tickets import services, workflow

CJK = re.compile(r"[\u4e00-\u9fff]")
FAR = "9999-12-31"


@dataclass(frozen=True)
class Bad:
    name: str
    method: str
    path: str
    data: dict[str, Any] = field(default_factory=dict)
    as_user: str | None = "operator"
    json: bool = False


def open311(**data: str) -> dict[str, str]:
    base = {"service_code": "zdjy", "description": "路灯不亮", "address_string": "江南区滨江路 66 号"}
    return {**base, **data}


CASES = [
    Bad(
        "open311 address of 301 characters",
        "POST",
        "/open311/v2/requests.json",
        open311(address_string="路" * 301),
        None,
    ),
    Bad(
        "open311 description with a NUL", "POST", "/open311/v2/requests.json", open311(description="路灯\x00不亮"), None
    ),
    Bad("open311 lat NaN", "POST", "/open311/v2/requests.json", open311(lat="NaN", long="120.1"), None),
    Bad("open311 lat Infinity", "POST", "/open311/v2/requests.json", open311(lat="Infinity", long="120.1"), None),
    Bad("open311 lat 1e10", "POST", "/open311/v2/requests.json", open311(lat="1e10", long="120.1"), None),
    Bad("open311 long -Infinity", "POST", "/open311/v2/requests.json", open311(lat="30.1", long="-Infinity"), None),
    Bad("open311 phone of 21 digits", "POST", "/open311/v2/requests.json", open311(phone="1" * 21), None),
    Bad(
        "open311 media_url javascript:",
        "POST",
        "/open311/v2/requests.json",
        open311(media_url="javascript:alert(1)"),
        None,
    ),
    Bad(
        "open311 description of 4001 characters",
        "POST",
        "/open311/v2/requests.json",
        open311(description="灯" * 4001),
        None,
    ),
    Bad(
        "open311 start_date out of range",
        "GET",
        "/open311/v2/requests.json",
        {"start_date": "2026-13-45T00:00:00"},
        None,
    ),
    Bad(
        "open311 end_date in year 10000", "GET", "/open311/v2/requests.json", {"end_date": "10000-01-01T00:00:00"}, None
    ),
    Bad("tampered cursor on tickets", "GET", "/api/v1/tickets/", {"cursor": "cD0yMDI2LTEzLTQ1VDAwOjAwOjAw"}),
    Bad("tampered cursor on notifications", "GET", "/api/v1/notifications/", {"cursor": "cD0yMDI2LTEzLTQ1"}),
    Bad("tampered cursor on surveys", "GET", "/api/v1/surveys/", {"cursor": "cD1hYmM="}),
    Bad("rates up to 9999-12-31", "GET", "/api/v1/stats/rates/", {"from": "2026-01-01", "to": FAR}),
    Bad("rankings for month 0001-01", "GET", "/supervision/rankings/", {"month": "0001-01"}, "supervisor"),
    Bad("route with a superscript category", "GET", "/console/route/", {"category": "²"}),
    Bad("route with a superscript area", "GET", "/console/route/", {"area": "³"}),
    Bad("suggest with a superscript category", "GET", "/console/suggest/", {"category": "²", "content": "路灯"}),
    Bad("knowledge with a superscript category", "GET", "/console/kb/", {"category": "²", "kb_q": "路灯"}),
    Bad("route with a category past bigint", "GET", "/console/route/", {"category": "9" * 30}),
    Bad(
        "console intake with a superscript category",
        "POST",
        "/console/",
        {
            "channel": "phone",
            "kind": "complaint",
            "urgency": "normal",
            "content": "路灯不亮",
            "category": "²",
            "action": "save",
        },
    ),
    Bad("console with a last number holding a slash", "GET", "/console/", {"last": "a/b"}),
    Bad(
        "login with a 300-character username",
        "POST",
        "/accounts/login/",
        {"username": "u" * 300, "password": "x"},
        None,
    ),
    Bad(
        "token with a 300-character username",
        "POST",
        "/api/v1/auth/token/",
        {"username": "u" * 300, "password": "x"},
        None,
    ),
    Bad(
        "api intake of 1.9 MB",
        "POST",
        "/api/v1/tickets/",
        {"channel": "phone", "kind": "help", "content": "字" * 650_000},
        json=True,
    ),
    Bad(
        "api intake of 4001 characters",
        "POST",
        "/api/v1/tickets/",
        {"channel": "phone", "kind": "help", "content": "字" * 4001},
        json=True,
    ),
    Bad(
        "api intake with a NUL",
        "POST",
        "/api/v1/tickets/",
        {"channel": "phone", "kind": "help", "content": "a\x00b"},
        json=True,
    ),
    Bad(
        "web form with a NUL",
        "POST",
        "/submit/",
        {"kind": "help", "content": "路灯\x00不亮", "phone": "13812345678", "submission_key": "k1"},
        None,
    ),
    Bad("track with a NUL", "POST", "/track/", {"number": "2026\x00", "code": "ABC"}, None),
]


def counts() -> dict[str, int]:
    models = [m for label in ("tickets", "reviews", "channels") for m in apps.get_app_config(label).get_models()]
    return {m._meta.label: m._default_manager.count() for m in models}


@pytest.fixture(autouse=True)
def fresh_limits() -> Iterator[None]:
    cache.clear()  # rate-limit counters (per address, per key) live in the shared cache: each case starts afresh
    yield
    cache.clear()


@pytest.fixture
def api_key(actors: Actors) -> str:
    client = ApiClient(name="城市 App", channel="open311")
    key = client.issue_key()
    client.save()
    return key


def send(case: Bad, actors: Actors, api_key: str) -> Any:
    client = Client()
    if case.as_user:
        client.force_login(getattr(actors, case.as_user))
    data = dict(case.data)
    if case.path.startswith("/open311/") and case.method == "POST":
        data["api_key"] = api_key
    if case.method == "GET":
        return client.get(case.path, data)
    if case.json:
        return client.post(case.path, data, content_type="application/json")
    return client.post(case.path, data)


def assert_refused_in_chinese(response: Any) -> None:
    assert 400 <= response.status_code < 500, (response.status_code, response.content[:500])
    body = response.content.decode()
    if response["Content-Type"].startswith("application/json"):
        payload = response.json()
        message = payload[0]["description"] if isinstance(payload, list) else str(payload.get("detail", payload))
        assert CJK.search(message), payload
    else:
        assert CJK.search(body)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_a_bad_input_is_refused_in_chinese_and_changes_nothing(case: Bad, actors: Actors, api_key: str) -> None:
    before = counts()
    response = send(case, actors, api_key)
    assert_refused_in_chinese(response)
    assert counts() == before


def refused_action(actors: Actors, act: Callable[[Client], Any]) -> None:
    client = Client()
    client.force_login(actors.handler)
    before = counts()
    response = act(client)
    assert_refused_in_chinese(response)
    assert counts() == before


def test_an_extension_to_the_year_9999_is_refused_in_chinese_and_changes_nothing(actors: Actors) -> None:
    ticket = ticket_in(workflow.IN_PROGRESS, actors)
    data = {"reason": "需要协调", "new_due_date": FAR, "citizen_informed": True}
    path = f"/api/v1/tickets/{ticket.number}/extend/"
    refused_action(actors, lambda c: c.post(path, data, content_type="application/json"))


def test_a_ledger_deadline_in_the_year_9999_is_refused_in_chinese_and_changes_nothing(actors: Actors) -> None:
    ticket = ticket_in(workflow.AWAITING_SURVEY, actors)
    review_services.ticket_survey(
        ticket_id=ticket.pk, actor=actors.operator, outcome="answered", rating=1, solved=False
    )
    rect = Rectification.objects.get(ticket=ticket)
    review_services.rectification_verify(rectification_id=rect.pk, actor=actors.handler, note="已核实")
    data = {"report_type": "ledger", "text": "限期整改", "ledger_due_date": FAR}
    path = f"/api/v1/rectifications/{rect.pk}/report/"
    refused_action(actors, lambda c: c.post(path, data, content_type="application/json"))


def test_the_date_limit_leaves_a_reasonable_extension_possible(actors: Actors) -> None:
    ticket = ticket_in(workflow.IN_PROGRESS, actors)
    request = services.ticket_extend(
        ticket_id=ticket.pk,
        actor=actors.handler,
        reason="需要协调多个部门",
        new_due_date=timezone.localdate() + timedelta(days=12),  # within 10 working days past the reply deadline
        citizen_informed=True,
    )
    assert request.new_due_date == timezone.localdate() + timedelta(days=12)
