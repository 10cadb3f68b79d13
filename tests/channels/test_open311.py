"""Open311 GeoReport v2, driven by the independent `georeport` client from PyPI (it reads; it cannot post, so the
POST goes through plain `requests`, as any Open311 app would send it), and the same with raw XML."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
import requests
from georeport import GeoReport

from channels.models import ApiClient
from tests.factories import Actors, department
from tickets import services
from tickets.models import Ticket


@pytest.fixture
def api_key(actors: Actors) -> str:
    client = ApiClient(name="城市 App", channel="open311")
    key = client.issue_key()
    client.save()
    return key


def test_list_post_and_read_back_with_the_georeport_client(live_server, actors: Actors, api_key: str) -> None:
    root = f"{live_server.url}/open311/v2"
    client = GeoReport(root)
    services_list = client.get_service_list()
    zdjy = next(s for s in services_list if s["service_code"] == "zdjy")
    assert (zdjy["service_name"], zdjy["group"], zdjy["type"]) == ("占道经营", "城市管理", "realtime")
    assert client.get_service_definition("zdjy")["attributes"] == []

    posted = requests.post(
        f"{root}/requests.json",
        data={
            "api_key": api_key,
            "service_code": "zdjy",
            "description": "人行道上有摊贩占道经营",
            "address_string": "江南区滨江路 66 号",
            "phone": "13712345678",
            "first_name": "伟",
            "last_name": "张",
            "media_url": "https://example.org/photo.jpg",
            "publish": "true",  # the citizen agreed in the app that the request may be published
        },
        timeout=10,
    )
    assert posted.status_code == 201
    number = posted.json()[0]["service_request_id"]
    ticket = Ticket.objects.get(number=number)
    assert ticket.channel == "open311" and ticket.caller.phone == "13712345678"  # type: ignore[union-attr]

    fresh = client.get_service_request(number)
    assert (fresh["status"], fresh["agency_responsible"], fresh["status_notes"]) == ("open", None, None)
    services.ticket_dispatch(ticket_id=ticket.pk, actor=actors.operator, department_id=department("cgj").pk)
    dispatched = client.get_service_request(number)
    assert dispatched["agency_responsible"] == "市城市管理局" and dispatched["expected_datetime"]
    listed = client.get_service_requests(service_code="zdjy", status="open")
    assert number in [r["service_request_id"] for r in listed]
    for text in ("13712345678", "张伟", "人行道上有摊贩"):  # no personal data, no free text, in GET
        assert text not in requests.get(f"{root}/requests/{number}.json", timeout=10).text


def test_the_same_in_raw_xml(live_server, actors: Actors, api_key: str) -> None:
    root = f"{live_server.url}/open311/v2"
    listed = ET.fromstring(requests.get(f"{root}/services.xml", timeout=10).content)
    assert listed.tag == "services" and listed.find("service/service_code") is not None
    posted = requests.post(
        f"{root}/requests.xml",
        data={
            "api_key": api_key,
            "service_code": "hjws",
            "description": "垃圾没人清运",
            "lat": "30.123456",
            "long": "120.654321",
            "publish": "true",
        },
        timeout=10,
    )
    assert posted.status_code == 201
    number = ET.fromstring(posted.content).findtext("request/service_request_id")
    one = ET.fromstring(requests.get(f"{root}/requests/{number}.xml", timeout=10).content)
    assert one.findtext("request/status") == "open" and one.findtext("request/lat") == "30.12"  # about a kilometre
    client = GeoReport(root, output_format="xml")
    assert client.get_service_request(str(number))["service_code"] == "hjws"


def test_errors_use_the_open311_format(live_server, actors: Actors, api_key: str) -> None:
    root = f"{live_server.url}/open311/v2"
    refused = requests.post(
        f"{root}/requests.json",
        data={"api_key": "wrong", "service_code": "zdjy", "description": "x", "address_string": "y"},
        timeout=10,
    )
    assert refused.status_code == 403 and refused.json()[0]["code"] == 403
    unknown = requests.post(
        f"{root}/requests.xml",
        data={"api_key": api_key, "service_code": "nope", "description": "x", "address_string": "y"},
        timeout=10,
    )
    assert unknown.status_code == 400 and ET.fromstring(unknown.content).findtext("error/code") == "400"
    nowhere = requests.post(
        f"{root}/requests.json", data={"api_key": api_key, "service_code": "zdjy", "description": "x"}, timeout=10
    )
    assert nowhere.status_code == 400 and "address_string" in nowhere.json()[0]["description"]
    assert Ticket.objects.count() == 0


def test_confidential_tickets_are_not_published(live_server, actors: Actors) -> None:
    ticket = services.ticket_receive(
        actor=actors.operator, channel="phone", kind="report", content="举报", confidential=True
    )
    response = requests.get(f"{live_server.url}/open311/v2/requests/{ticket.number}.json", timeout=10)
    assert response.status_code == 404


def test_a_channel_client_reads_back_only_its_own_submissions(live_server, actors: Actors, api_key: str) -> None:
    wechat = ApiClient(name="微信公众号", channel="wechat")
    wechat_key = wechat.issue_key()
    wechat.save()
    root = f"{live_server.url}/open311/v2"
    base = {"service_code": "zdjy", "description": "占道", "address_string": "滨江路"}
    mine = requests.post(f"{root}/requests.json", data={**base, "api_key": wechat_key}, timeout=10).json()
    other = requests.post(f"{root}/requests.json", data={**base, "api_key": api_key}, timeout=10).json()
    own = requests.get(f"{root}/requests.json", params={"api_key": wechat_key}, timeout=10).json()
    assert [r["service_request_id"] for r in own] == [mine[0]["service_request_id"]]
    assert other[0]["service_request_id"] not in str(own)
    assert Ticket.objects.get(number=mine[0]["service_request_id"]).channel == "wechat"
    refused = requests.get(f"{root}/requests.json", params={"api_key": "bad"}, timeout=10)
    assert refused.status_code == 403
