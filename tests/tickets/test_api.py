"""The REST API: status codes, errors in the user's language, scope, masking, pagination cost."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from org.models import AuditEntry, User
from tests.factories import Actors, department, receive, ticket_in
from tickets import services, workflow
from tickets.models import Caller, Outbox, RoutingRule, Ticket


def api(user: User | None = None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def test_receiving_a_ticket_returns_201_with_its_number(actors: Actors) -> None:
    response = api(actors.operator).post(
        "/api/v1/tickets/",
        {
            "channel": "phone",
            "kind": "consultation",
            "content": "咨询社保卡办理",
            "caller": {"phone": "13812345678"},
        },
        format="json",
    )
    assert response.status_code == 201
    assert len(response.json()["number"]) == 14 and response.json()["status"] == "received"


def test_invalid_input_answers_400_in_chinese_and_creates_nothing(actors: Actors) -> None:
    response = api(actors.operator).post("/api/v1/tickets/", {"channel": "fax", "kind": "complaint"}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid" and body["detail"] == "输入的内容无效。"
    assert set(body["fields"]) == {"channel", "content"}


def test_errors_speak_english_when_the_request_asks_for_it(actors: Actors) -> None:
    response = api(actors.operator).post(
        "/api/v1/tickets/", {"channel": "fax"}, format="json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.json()["detail"] == "The input is not valid."


def test_a_ticket_outside_the_scope_answers_404_like_a_missing_one(actors: Actors) -> None:
    ticket = ticket_in(workflow.DISPATCHED, actors)
    other = User.objects.create_user("zjj-h", "a-long-password", role="handler", department=department("zjj"))
    hidden = api(other).get(f"/api/v1/tickets/{ticket.number}/")
    missing = api(other).get("/api/v1/tickets/20990101000001/")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json()
    assert api(other).post(f"/api/v1/tickets/{ticket.number}/sign/", {}, format="json").status_code == 404


def test_a_transition_not_allowed_answers_409(actors: Actors) -> None:
    ticket = ticket_in(workflow.DISPATCHED, actors)
    response = api(actors.operator).post(
        f"/api/v1/tickets/{ticket.number}/dispatch/", {"department": department("cgj").pk}, format="json"
    )
    assert response.status_code == 409
    assert response.json()["code"] == "transition_not_allowed"


def test_a_role_that_may_not_act_answers_403(actors: Actors) -> None:
    ticket = ticket_in(workflow.REPLIED, actors)
    response = api(actors.handler).post(f"/api/v1/tickets/{ticket.number}/approve-reply/", {}, format="json")
    assert response.status_code == 403 and response.json()["code"] == "forbidden"


def test_anonymous_requests_are_refused(db: None) -> None:
    assert api().get("/api/v1/tickets/").status_code in (401, 403)


def test_an_api_client_gets_a_token_and_uses_it(actors: Actors) -> None:
    token = api().post("/api/v1/auth/token/", {"username": "operator", "password": "hotline-demo"}, format="json")
    assert token.status_code == 200
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.json()['token']}")
    assert client.get("/api/v1/tickets/").status_code == 200


def test_the_list_masks_callers_and_the_holder_sees_the_number_with_an_audit_row(actors: Actors) -> None:
    ticket = ticket_in(workflow.DISPATCHED, actors)
    listed = api(actors.handler).get("/api/v1/tickets/").json()["results"]
    assert [t["caller"]["phone"] for t in listed] == ["138****5678"]
    detail = api(actors.handler).get(f"/api/v1/tickets/{ticket.number}/").json()
    assert detail["caller"]["phone"] == "13812345678"
    assert (
        AuditEntry.objects.filter(
            action="caller_phone_view", actor=actors.handler, target=f"ticket:{ticket.number}"
        ).count()
        == 1
    )
    supervisor_view = api(actors.supervisor).get(f"/api/v1/tickets/{ticket.number}/").json()
    assert supervisor_view["caller"]["phone"] == "138****5678"


def test_a_confidential_caller_is_never_shown_to_the_department(actors: Actors) -> None:
    ticket = receive(actors, kind="report", confidential=True)
    services.ticket_dispatch(ticket_id=ticket.pk, actor=actors.operator, department_id=department("cgj").pk)
    detail = api(actors.handler).get(f"/api/v1/tickets/{ticket.number}/").json()
    assert detail["caller"] == {"name": "", "phone": "", "hidden": "confidential"}
    assert not AuditEntry.objects.filter(action="caller_phone_view", actor=actors.handler).exists()
    assert api(actors.operator).get(f"/api/v1/tickets/{ticket.number}/").json()["caller"]["phone"] == "13812345678"


def test_the_detail_offers_only_the_actions_of_this_role_now(actors: Actors) -> None:
    ticket = ticket_in(workflow.DISPATCHED, actors)
    assert set(api(actors.handler).get(f"/api/v1/tickets/{ticket.number}/").json()["actions"]) == {
        "sign",
        "contact",
        "return",
    }
    assert set(api(actors.head).get(f"/api/v1/tickets/{ticket.number}/").json()["actions"]) == {
        "sign",
        "contact",
        "return",
    }
    services.ticket_sign(ticket_id=ticket.pk, actor=actors.head)  # sub-dispatch comes after the sign
    assert "sub_dispatch" in api(actors.head).get(f"/api/v1/tickets/{ticket.number}/").json()["actions"]


@pytest.mark.parametrize("filters", [{"status": "dispatched"}, {"overdue": "false"}, {"text": "占道"}])
def test_filters_narrow_the_list(actors: Actors, filters: dict) -> None:
    dispatched = ticket_in(workflow.DISPATCHED, actors)
    ticket_in(workflow.RECEIVED, actors)
    numbers = [t["number"] for t in api(actors.operator).get("/api/v1/tickets/", filters).json()["results"]]
    assert dispatched.number in numbers
    if "status" in filters:
        assert len(numbers) == 1


def test_the_department_filter_takes_the_whole_subtree(actors: Actors) -> None:
    ticket = ticket_in(workflow.DISPATCHED, actors)
    city = department("city").pk
    assert [
        t["number"] for t in api(actors.operator).get("/api/v1/tickets/", {"department": city}).json()["results"]
    ] == [ticket.number]
    assert api(actors.operator).get("/api/v1/tickets/", {"department": department("zjj").pk}).json()["results"] == []


def test_the_list_costs_the_same_number_of_queries_for_any_page_size(actors: Actors) -> None:
    for _ in range(12):
        ticket_in(workflow.DISPATCHED, actors)
    counts = []
    for size in (2, 12):
        client = api(User.objects.get(pk=actors.handler.pk))  # a fresh user: nothing cached from the last request
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/api/v1/tickets/", {"page_size": size})
        assert len(response.json()["results"]) == size
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_departments_categories_and_notifications_are_listed(actors: Actors) -> None:
    assert [d["code"] for d in api(actors.handler).get("/api/v1/departments/").json()] == ["cgj", "cgj-zfzd"]
    assert "zdjy" in [c["code"] for c in api(actors.handler).get("/api/v1/categories/").json()]
    assert api(actors.handler).get("/api/v1/notifications/").status_code == 200


def test_the_openapi_schema_and_docs_are_served(actors: Actors) -> None:
    assert b"/api/v1/tickets/{number}/dispatch/" in api(actors.operator).get("/api/schema/").content
    assert api(actors.operator).get("/api/docs/").status_code == 200


def test_notification_texts_are_written_in_chinese(actors: Actors) -> None:
    from tickets.models import Outbox

    ticket = ticket_in(workflow.DISPATCHED, actors)
    assert Outbox.objects.get(ticket=ticket).text == f"新工单 {ticket.number}"


def test_a_decision_is_offered_only_when_one_is_pending(actors: Actors) -> None:
    ticket = ticket_in(workflow.IN_PROGRESS, actors)
    assert "decide_extension" not in api(actors.reviewer).get(f"/api/v1/tickets/{ticket.number}/").json()["actions"]
    with_request = ticket_in(workflow.IN_PROGRESS, actors, pending_extension=True)
    assert "decide_extension" in api(actors.reviewer).get(f"/api/v1/tickets/{with_request.number}/").json()["actions"]


def test_one_request_receives_routes_and_dispatches_as_the_console_does(actors: Actors) -> None:
    rule = RoutingRule.objects.filter(area=None).select_related("lead").order_by("pk").first()
    assert rule is not None
    body = {"channel": "phone", "kind": "complaint", "content": "路灯不亮", "category": rule.category_id}
    response = api(actors.operator).post("/api/v1/tickets/", {**body, "dispatch": True}, format="json")
    assert response.status_code == 201
    assert response.json()["status"] == "dispatched" and response.json()["lead_department"] == rule.lead.name
    ticket = Ticket.objects.get(number=response.json()["number"])
    assert list(ticket.dispatches.values_list("department", "role", "active")) == [(rule.lead_id, "lead", True)]
    clocks = sorted(ticket.deadlines.values_list("kind", "state", "department"))
    assert clocks == [("intake", "met", None), ("reply", "open", rule.lead_id), ("response", "open", rule.lead_id)]
    assert sorted(ticket.events.values_list("verb", flat=True)) == ["dispatch", "intake_met", "receive"]
    assert list(Outbox.objects.filter(ticket=ticket).values_list("kind", "department")) == [
        ("new_ticket", rule.lead_id)
    ]
    assert (ticket.owner_queue, ticket.owner_department_id) == ("sign", rule.lead_id)


def test_a_department_given_wins_over_the_routing_table(actors: Actors) -> None:
    chosen = department("zjj")
    rule = RoutingRule.objects.filter(area=None).exclude(lead=chosen).order_by("pk").first()
    assert rule is not None
    body = {"channel": "phone", "kind": "complaint", "content": "路灯不亮", "category": rule.category_id}
    response = api(actors.operator).post(
        "/api/v1/tickets/", {**body, "dispatch": True, "department": chosen.pk}, format="json"
    )
    assert response.status_code == 201
    assert Ticket.objects.get(number=response.json()["number"]).lead_department_id == chosen.pk


def test_a_dispatch_with_no_rule_and_no_department_is_refused_and_creates_nothing(actors: Actors) -> None:
    before = (Ticket.objects.count(), Caller.objects.count())
    response = api(actors.operator).post(
        "/api/v1/tickets/",
        {
            "channel": "phone",
            "kind": "complaint",
            "content": "路灯不亮",
            "caller": {"phone": "13812345678"},
            "dispatch": True,
        },
        format="json",
    )
    assert response.status_code == 400 and response.json()["code"] == "department_required"
    assert response.json()["detail"] == "请选择主办单位后再派单。"
    assert (Ticket.objects.count(), Caller.objects.count()) == before


def test_a_client_that_prefers_a_minimal_answer_gets_the_number_and_where_the_ticket_is(actors: Actors) -> None:
    body = {"channel": "phone", "kind": "complaint", "content": "路灯不亮", "department": department("zjj").pk}
    response = api(actors.operator).post(
        "/api/v1/tickets/", {**body, "dispatch": True}, format="json", HTTP_PREFER="return=minimal"
    )
    assert response.status_code == 201 and response.headers["Preference-Applied"] == "return=minimal"
    number = response.json()["number"]
    assert response.json() == {"number": number, "status": "dispatched", "lead_department_id": department("zjj").pk}
    assert response.headers["Location"] == f"/api/v1/tickets/{number}/"
    assert api(actors.operator).get(response.headers["Location"]).json()["lead_department"] == department("zjj").name
