"""Open311 publishes only what may be published: consent or a reviewer's mark, a coarse place, the public text."""

from __future__ import annotations

from django.test import Client
from rest_framework.test import APIClient

from channels.models import ApiClient
from tests.factories import Actors, area, receive, ticket_in
from tickets import workflow

LIST = "/open311/v2/requests.json"


def listed() -> dict[str, dict]:
    return {r["service_request_id"]: r for r in Client().get(LIST).json()}


def publish(actors: Actors, number: str, text: str, who: str = "reviewer") -> int:
    client = APIClient()
    client.force_authenticate(getattr(actors, who))
    data = {"public": True, "public_text": text}
    return client.post(f"/api/v1/tickets/{number}/publish/", data, format="json").status_code


def test_a_phone_call_without_consent_is_not_published(actors: Actors) -> None:
    ticket = receive(actors)
    assert ticket.number not in listed()
    assert Client().get(f"/open311/v2/requests/{ticket.number}.json").status_code == 404


def test_a_reviewer_publishes_a_request_with_a_coarse_place_and_the_approved_public_text(actors: Actors) -> None:
    ticket = ticket_in(workflow.AWAITING_SURVEY, actors)  # its reply to the citizen: "已清理占道摊点"
    ticket.area = area("jn-bj")
    ticket.save(update_fields=["area"])
    assert publish(actors, ticket.number, "占道经营已处理") == 200
    shown = listed()[ticket.number]
    assert shown["status_notes"] == "占道经营已处理"
    assert shown["address"] == area("jn-bj").name and "88 号" not in str(shown)
    assert "已清理占道摊点" not in Client().get(LIST).content.decode()


def test_only_a_reviewer_may_publish(actors: Actors) -> None:
    ticket = receive(actors)
    assert publish(actors, ticket.number, "公开", who="operator") == 403
    assert ticket.number not in listed()


def test_a_citizen_who_agreed_is_listed_without_the_typed_address_or_a_reply(actors: Actors) -> None:
    client = ApiClient(name="城市 App", channel="open311")
    key = client.issue_key()
    client.save()
    data = {
        "api_key": key,
        "service_code": "zdjy",
        "description": "人行道上有摊贩",
        "address_string": "江南区滨江路 66 号 3 单元 502",
        "lat": "30.123456",
        "long": "120.654321",
        "publish": "true",
    }
    number = Client().post(LIST, data).json()[0]["service_request_id"]
    shown = listed()[number]
    assert shown["address"] is None and shown["status_notes"] is None
    assert (shown["lat"], shown["long"]) == ("30.12", "120.65")
