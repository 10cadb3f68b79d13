"""Phone numbers mean one thing: every common writing is stored as one number; an impossible one is refused."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.test import Client

from hotline.errors import DomainError
from hotline.phones import phone_normalise
from tests.factories import Actors, receive
from tickets.models import Caller

WRITINGS = ["+86 138-1234-5678", "138 1234 5678", "１３８１２３４５６７８", "13812345678", "0086 138 1234 5678"]


@pytest.mark.parametrize("written", WRITINGS)
def test_every_common_writing_of_a_mobile_is_stored_as_one_number(actors: Actors, written: str) -> None:
    ticket = receive(actors, caller_phone=written)
    assert ticket.caller is not None and ticket.caller.phone == "13812345678"


def test_a_landline_keeps_its_area_code() -> None:
    assert phone_normalise("010-1234 5678") == "01012345678"
    assert phone_normalise("(0571) 8888 8888") == "057188888888"


def test_an_impossible_number_is_refused_in_chinese_naming_the_field(actors: Actors) -> None:
    with pytest.raises(DomainError) as refused:
        receive(actors, caller_phone="1381234")
    assert "来电人电话" in str(refused.value.message) and "1381234" in str(refused.value.message)


def test_the_api_refuses_an_impossible_number_with_the_fields_name(actors: Actors) -> None:
    client = Client()
    client.force_login(actors.operator)
    body = {"channel": "phone", "kind": "help", "content": "路灯不亮", "caller": {"phone": "12345"}}
    response = client.post("/api/v1/tickets/", body, content_type="application/json")
    assert response.status_code == 400 and "来电人电话" in response.json()["detail"]


def test_existing_numbers_are_migrated_to_the_stored_writing(db: None) -> None:
    written = Caller.objects.create(name="王", phone="+86 138-1234-5678")
    broken = Caller.objects.create(name="李", phone="12-34")
    migration = importlib.import_module("tickets.migrations.0012_normalise_caller_phones")
    migration.forwards(apps, None)
    written.refresh_from_db()
    broken.refresh_from_db()
    assert (written.phone, broken.phone) == ("13812345678", "12-34")
