"""Following rel="next" reaches every matching row exactly once, newest first or in any sorted column."""

from __future__ import annotations

from datetime import timedelta
from html import unescape
from urllib.parse import urlencode

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from tests.factories import Actors, department, receive
from tests.tickets.search_helpers import NEXT, PREV, ROW, every_page
from tickets import services


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


def spread_over_the_windows(actors: Actors) -> list[str]:
    """Tickets about 占道 received on both sides of each window's edge (7 days, 60, a year), newest first."""
    now = timezone.now()
    ages = [0, 0, 2, 6, 8, 40, 59, 61, 200, 365, 367, 700]  # days
    made = []
    for age in ages:
        with time_machine.travel(now - timedelta(days=age, minutes=5), tick=False):
            ticket = receive(actors, content="占道经营")
            services.ticket_dispatch(ticket_id=ticket.pk, actor=actors.operator, department_id=department("cgj").pk)
            made.append(ticket.number)
    receive(actors, content="路灯不亮")
    return [n for _age, n in sorted(zip(ages, made, strict=True), key=lambda p: (p[0], -int(p[1])))]


def test_a_search_read_in_windows_of_time_keeps_the_order_across_them(actors: Actors) -> None:
    """A word search is read in windows of time (7 days, 60, a year, the rest): rows spread over every window come
    newest first, or oldest first, each once, pages crossing the windows' edges in both directions."""
    newest_first = spread_over_the_windows(actors)
    for user in (actors.operator, actors.handler):
        numbers, pages = every_page(user, "q=占道&page_size=5")
        assert numbers == newest_first and pages == 3
        oldest_first, _pages = every_page(user, "q=占道&sort=created&page_size=5")
        assert oldest_first == newest_first[::-1]
    client = Client()
    client.force_login(actors.operator)
    first = client.get("/tickets/", {"q": "占道", "page_size": "5"}).content.decode()
    second = client.get(f"/tickets/?{unescape(NEXT.search(first).group(1))}").content.decode()  # type: ignore[union-attr]
    third = client.get(f"/tickets/?{unescape(NEXT.search(second).group(1))}").content.decode()  # type: ignore[union-attr]
    back = client.get(f"/tickets/?{unescape(PREV.search(third).group(1))}").content.decode()  # type: ignore[union-attr]
    assert ROW.findall(back) == ROW.findall(second) == newest_first[5:10]


def test_the_api_pages_a_search_across_the_windows_in_the_same_order(actors: Actors) -> None:
    newest_first = spread_over_the_windows(actors)
    client = Client()
    client.force_login(actors.handler)
    numbers, url, previous = [], "/api/v1/tickets/?" + urlencode({"q": "占道", "page_size": 5}), None
    while url:
        body = client.get(url).json()
        numbers += [row["number"] for row in body["results"]]
        url, previous = body["next"], body["previous"] or previous
    assert numbers == newest_first
    assert previous is not None
    back = client.get(previous).json()  # from the last page back to the second
    assert [row["number"] for row in back["results"]] == newest_first[5:10]
