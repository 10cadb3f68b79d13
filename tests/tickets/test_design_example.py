"""DESIGN.md's example end to end through the API, with time moved by time-machine.

Received and dispatched 2026-09-30 10:00: response due at the end of 10-08 (National Day holiday), reply due at the
end of 10-13 (Saturday 10-10 is an adjusted working day).
"""

from __future__ import annotations

from datetime import datetime

import pytest
from rest_framework.test import APIClient

from tests.factories import Actors, department
from tickets.deadlines import BEIJING
from tickets.models import Deadline, SupervisionNotice, TicketEvent
from tickets.sweeps import sweep_deadlines


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=BEIJING)


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def dispatched(actors: Actors, time_machine) -> str:
    time_machine.move_to(at("2026-09-30T10:00"), tick=False)
    created = api(actors.operator).post(
        "/api/v1/tickets/",
        {
            "channel": "phone",
            "kind": "complaint",
            "content": "夜间施工噪音扰民",
            "address": "江南区滨江路 1 号",
            "caller": {"name": "李女士", "phone": "13900001111"},
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    number = created.json()["number"]
    assert number.startswith("20260930") and len(number) == 14
    response = api(actors.operator).post(
        f"/api/v1/tickets/{number}/dispatch/", {"department": department("cgj").pk}, format="json"
    )
    assert response.status_code == 200, response.json()
    due = {d["kind"]: d["due_at"] for d in response.json()["deadlines"] if d["kind"] != "intake"}
    assert due == {"response": "2026-10-09T00:00:00+08:00", "reply": "2026-10-14T00:00:00+08:00"}
    return number


def sweep_at(time_machine, when: str) -> None:
    time_machine.move_to(at(when), tick=False)
    from django.utils import timezone

    sweep_deadlines(now=timezone.now())


def breaches(number: str, verb: str) -> int:
    return TicketEvent.objects.filter(ticket__number=number, verb=verb).count()


def test_the_response_breach_is_recorded_once_in_the_first_sweep_after_the_deadline(dispatched, time_machine):
    sweep_at(time_machine, "2026-10-08T23:59")
    assert breaches(dispatched, "response_breached") == 0
    sweep_at(time_machine, "2026-10-09T00:00")
    assert breaches(dispatched, "response_breached") == 1
    sweep_at(time_machine, "2026-10-09T00:01")
    sweep_at(time_machine, "2026-10-12T09:00")
    assert breaches(dispatched, "response_breached") == 1
    notice = SupervisionNotice.objects.get(ticket__number=dispatched)
    assert notice.department == department("cgj") and notice.deadline is not None


def test_the_yellow_light_comes_on_at_80_percent_of_the_period(dispatched, time_machine) -> None:
    response = Deadline.objects.get(ticket__number=dispatched, kind="response")
    assert response.warn_at == response.started_at + (response.due_at - response.started_at) * 0.8
    # 80% of the 206 hours from 09-30 10:00 to 10-09 00:00 have passed at 10-07 06:48.
    sweep_at(time_machine, "2026-10-07T06:47")
    assert breaches(dispatched, "response_warned") == 0
    sweep_at(time_machine, "2026-10-07T06:48")
    assert breaches(dispatched, "response_warned") == 1


def test_after_sign_and_contact_only_the_reply_breaches_after_october_14(dispatched, actors, time_machine):
    time_machine.move_to(at("2026-10-08T09:00"), tick=False)
    handler = api(actors.handler)
    assert handler.post(f"/api/v1/tickets/{dispatched}/sign/", {}, format="json").status_code == 200
    assert (
        handler.post(
            f"/api/v1/tickets/{dispatched}/contact/", {"channel": "phone", "note": "已联系"}, format="json"
        ).status_code
        == 200
    )
    response = Deadline.objects.get(ticket__number=dispatched, kind="response")
    assert response.state == "met" and response.met_on_time
    sweep_at(time_machine, "2026-10-13T23:59")
    assert breaches(dispatched, "response_breached") == 0
    assert breaches(dispatched, "reply_breached") == 0
    sweep_at(time_machine, "2026-10-14T00:00")
    assert breaches(dispatched, "reply_breached") == 1


def test_an_approved_extension_moves_the_reply_deadline(dispatched, actors, time_machine) -> None:
    time_machine.move_to(at("2026-10-08T09:00"), tick=False)
    handler = api(actors.handler)
    handler.post(f"/api/v1/tickets/{dispatched}/sign/", {}, format="json")
    handler.post(f"/api/v1/tickets/{dispatched}/contact/", {"channel": "phone"}, format="json")
    extend = handler.post(
        f"/api/v1/tickets/{dispatched}/extend/",
        {"reason": "需协调住建部门", "new_due_date": "2026-10-20", "citizen_informed": True},
        format="json",
    )
    assert extend.status_code == 200, extend.json()
    decided = api(actors.reviewer).post(
        f"/api/v1/tickets/{dispatched}/decide-extension/", {"approve": True}, format="json"
    )
    assert decided.status_code == 200
    open_reply = [d for d in decided.json()["deadlines"] if d["kind"] == "reply" and d["state"] == "open"]
    assert [d["due_at"] for d in open_reply] == ["2026-10-21T00:00:00+08:00"]
    sweep_at(time_machine, "2026-10-14T00:01")
    assert breaches(dispatched, "reply_breached") == 0
    sweep_at(time_machine, "2026-10-21T00:00")
    assert breaches(dispatched, "reply_breached") == 1


def test_an_extension_after_the_reply_deadline_is_refused(dispatched, actors, time_machine) -> None:
    time_machine.move_to(at("2026-10-08T09:00"), tick=False)
    api(actors.handler).post(f"/api/v1/tickets/{dispatched}/sign/", {}, format="json")
    time_machine.move_to(at("2026-10-14T08:00"), tick=False)
    response = api(actors.handler).post(
        f"/api/v1/tickets/{dispatched}/extend/",
        {"reason": "来不及", "new_due_date": "2026-10-30", "citizen_informed": True},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["code"] == "extension_too_late"


def test_the_sweep_decides_with_the_database_clock(dispatched, time_machine) -> None:
    # Python's clock says 2030, but the database's clock is the real one: a deadline due tomorrow is not breached,
    # one due a minute ago is.
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT now()")
        db_now = cursor.fetchone()[0]
    from datetime import timedelta

    Deadline.objects.filter(ticket__number=dispatched, kind="reply").update(due_at=db_now + timedelta(days=1))
    Deadline.objects.filter(ticket__number=dispatched, kind="response").update(due_at=db_now - timedelta(minutes=1))
    time_machine.move_to(at("2030-01-01T00:00"), tick=False)
    result = sweep_deadlines()
    assert result.breached == 1
    assert breaches(dispatched, "response_breached") == 1 and breaches(dispatched, "reply_breached") == 0
