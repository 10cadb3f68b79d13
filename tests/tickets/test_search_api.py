"""GET /api/v1/tickets/ takes the same q and filters as /tickets/."""

from __future__ import annotations

from django.test import Client

from tests.factories import Actors, receive


def test_the_api_list_finds_by_phone_words_and_filters(actors: Actors) -> None:
    urgent = receive(actors, urgency="urgent", caller_phone="+86 139 0000 2222")
    receive(actors, content="路灯不亮")
    client = Client()
    client.force_login(actors.operator)

    def numbers(**params: str) -> list[str]:
        response = client.get("/api/v1/tickets/", params)
        assert response.status_code == 200, response.content
        return [row["number"] for row in response.json()["results"]]

    assert numbers(q="139-0000-2222") == [urgent.number]
    assert numbers(q="占道", urgency="urgent") == [urgent.number]
    assert numbers(q="占道", urgency="normal") == []
    listed = client.get("/api/v1/tickets/", {"q": "占道"}).json()
    assert (listed["count"], listed["count_capped"]) == (1, False)


def test_a_yes_no_filter_refuses_a_value_that_is_neither_in_chinese_and_lists_nothing(actors: Actors) -> None:
    """Django's yes/no select reads any other value as "unknown": ``?overdue=maybe`` listed every ticket as if the
    filter were not set. The page and the API now refuse it; yes, no and empty still work."""
    ticket = receive(actors)
    client = Client()
    client.force_login(actors.operator)
    for name in ("overdue", "bad_review"):
        page = client.get("/tickets/", {name: "maybe"})
        assert page.status_code == 400 and "筛选条件无效" in page.content.decode()
        assert ticket.number not in page.content.decode()
        assert client.get("/api/v1/tickets/", {name: "maybe"}).status_code == 400
        for value, listed in (
            ("", True),
            ("false", True),
            ("true", False),
            ("unknown", True),
            ("3", True),
            ("0", True),
            ("1", False),
        ):
            response = client.get("/api/v1/tickets/", {name: value})
            assert response.status_code == 200, (name, value, response.content)
            assert (ticket.number in [row["number"] for row in response.json()["results"]]) is listed, (name, value)
