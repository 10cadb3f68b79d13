"""A user saves the current filters under a name, sees them listed, and only their own."""

from __future__ import annotations

from django.test import Client

from tests.factories import Actors
from tickets.models import SavedSearch


def test_a_saved_view_is_listed_for_its_owner_only(actors: Actors) -> None:
    client = Client()
    client.force_login(actors.handler)
    response = client.post("/tickets/saved/", {"name": "本周差评", "query": "bad_review=true&q=占道"})
    assert response.status_code == 302 and response["Location"].endswith("?bad_review=true&q=%E5%8D%A0%E9%81%93")
    assert "本周差评" in client.get("/tickets/").content.decode()
    other = Client()
    other.force_login(actors.head)
    assert "本周差评" not in other.get("/tickets/").content.decode()
    assert SavedSearch.objects.get().user == actors.handler
