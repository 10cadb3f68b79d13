"""Behind the TLS proxy, rate limits and fraud flags see the citizen's address, and a forged header buys nothing."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.cache import caches
from django.test import Client, RequestFactory

from hotline.clientip import client_ip
from tests.factories import Actors
from tickets.models import Category

PROXY = "10.0.0.2"


@pytest.fixture(autouse=True)
def behind_one_proxy(settings, db: None) -> Iterator[None]:
    settings.TRUSTED_PROXY_HOPS = 1
    caches["default"].clear()
    yield
    caches["default"].clear()


def test_the_client_is_the_address_the_trusted_proxy_saw_not_what_the_client_wrote() -> None:
    request = RequestFactory().get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7")
    assert client_ip(request) == "203.0.113.7"


def test_without_a_proxy_the_header_is_ignored(settings) -> None:
    settings.TRUSTED_PROXY_HOPS = 0
    request = RequestFactory().get("/", REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR="6.6.6.6")
    assert client_ip(request) == "203.0.113.7"


def submit(n: int, citizen: str) -> int:
    data = {
        "kind": "complaint",
        "category": str(Category.objects.get(code="zsrm").pk),
        "content": "夜间施工噪音扰民",
        "phone": f"1370000{n:04d}",
        "submission_key": f"proxy-{n}",
    }
    return Client().post("/submit/", data, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=citizen).status_code


def test_citizens_behind_the_same_proxy_have_their_own_rate_limit(actors: Actors, settings) -> None:
    settings.PUBLIC_SUBMIT_RATE_IP = "2/h"
    assert [submit(n, "203.0.113.7") for n in range(3)] == [200, 200, 429]
    assert submit(10, "198.51.100.9") == 200  # another citizen through the same proxy
    assert submit(11, "1.2.3.4, 203.0.113.7") == 429  # a forged left-hand entry does not reset the count
