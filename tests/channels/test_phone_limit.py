"""The per-phone limit counts the number, not how it is written: spaces, dashes or +86 do not reset it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.cache import cache
from django.test import Client

from tests.factories import Actors
from tickets.models import Category


@pytest.fixture(autouse=True)
def fresh_limits() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


def submit(n: int, phone: str) -> int:
    data = {
        "kind": "complaint",
        "category": str(Category.objects.get(code="zsrm").pk),
        "content": "夜间施工噪音扰民",
        "phone": phone,
        "submission_key": f"phone-{n}",
    }
    return Client().post("/submit/", data, REMOTE_ADDR=f"10.4.4.{n + 1}").status_code


def test_the_same_number_written_three_ways_counts_as_one_phone(actors: Actors, settings) -> None:
    settings.PUBLIC_SUBMIT_RATE_PHONE = "2/d"
    codes = [submit(0, "13900002222"), submit(1, "139 0000 2222"), submit(2, "+86 139-0000-2222")]
    assert codes == [200, 200, 429]
    assert submit(3, "13900003333") == 200
