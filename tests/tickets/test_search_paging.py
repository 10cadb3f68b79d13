"""Following rel="next" reaches every matching row exactly once, newest first or in any sorted column."""

from __future__ import annotations

from html import unescape

import pytest
from django.test import Client

from tests.factories import Actors, receive
from tests.tickets.search_helpers import NEXT, PREV, ROW, every_page


@pytest.fixture
def many(actors: Actors) -> list[str]:
    numbers = [receive(actors, content=f"占道经营第{i}处").number for i in range(11)]
    receive(actors, content="路灯不亮")
    return numbers


@pytest.mark.parametrize("sort", ["-created", "number", "-status", "kind"])
def test_rel_next_reaches_every_row_once(actors: Actors, many: list[str], sort: str) -> None:
    numbers, page_count = every_page(actors.operator, f"q=占道&sort={sort}&page_size=4")  # 11 rows: 3 pages
    assert sorted(numbers) == sorted(many) and len(numbers) == len(set(numbers)) and page_count == 3


def test_the_count_is_shown_and_rel_prev_goes_back_to_the_same_rows(actors: Actors, many: list[str]) -> None:
    client = Client()
    client.force_login(actors.operator)
    first = client.get("/tickets/", {"q": "占道", "page_size": "4"}).content.decode()
    assert "11 张工单" in first and 'rel="prev"' not in first
    second = client.get(f"/tickets/?{unescape(NEXT.search(first).group(1))}").content.decode()  # type: ignore[union-attr]
    back = client.get(f"/tickets/?{unescape(PREV.search(second).group(1))}").content.decode()  # type: ignore[union-attr]
    assert ROW.findall(back) == ROW.findall(first) and set(ROW.findall(second)).isdisjoint(ROW.findall(first))
