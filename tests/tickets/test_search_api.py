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
