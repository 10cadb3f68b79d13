"""Open311 POST is rate limited per API key and per address, and wrong keys are throttled per client address."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.cache import cache
from django.test import Client

from channels.models import ApiClient
from tests.factories import Actors

URL = "/open311/v2/requests.json"


@pytest.fixture(autouse=True)
def fresh_limits() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


def new_key(name: str) -> str:
    client = ApiClient(name=name, channel="open311")
    key = client.issue_key()
    client.save()
    return key


def post(key: str, address: str, ip: str = "10.2.2.2") -> tuple[int, str]:
    data = {"api_key": key, "service_code": "zdjy", "description": "人行道上有摊贩", "address_string": address}
    response = Client().post(URL, data, REMOTE_ADDR=ip)
    return response.status_code, response.content.decode()


def test_one_address_takes_only_so_many_requests_whatever_the_key(actors: Actors, settings) -> None:
    settings.OPEN311_RATE_ADDRESS = "2/d"
    first, second = new_key("App 甲"), new_key("App 乙")
    codes = [post(first, "滨江路 66 号")[0], post(second, "滨江路66号")[0], post(first, " 滨江路 66 号 ")[0]]
    assert codes == [201, 201, 429]
    assert "请求过于频繁" in post(second, "滨江路 66 号")[1]
    assert post(first, "望江路 9 号")[0] == 201  # another address is not affected


def test_one_key_takes_only_so_many_requests(actors: Actors, settings) -> None:
    settings.OPEN311_RATE_KEY = "3/h"
    key = new_key("App 丙")
    assert [post(key, f"滨江路 {n} 号")[0] for n in range(4)] == [201, 201, 201, 429]


def test_wrong_keys_are_throttled_per_client_address(actors: Actors, settings) -> None:
    settings.OPEN311_RATE_BAD_KEY = "3/h"
    assert [post(f"guess-{n}", "滨江路 1 号")[0] for n in range(3)] == [403, 403, 403]
    assert post(new_key("App 丁"), "滨江路 2 号")[0] == 429  # even the right key, from that address, for a while
    assert post(f"guess-{9}", "滨江路 3 号", ip="10.3.3.3")[0] == 403  # another address still gets its answer
