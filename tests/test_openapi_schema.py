"""The OpenAPI schema says what each operation takes and gives: its own input, paginated lists, documented errors."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from reviews.apis.actions import APPEAL_ACTIONS, RECTIFICATION_ACTIONS
from tickets.apis.actions import ACTIONS


@pytest.fixture(scope="module")
def schema(django_db_setup: None, django_db_blocker) -> dict[str, Any]:
    with django_db_blocker.unblock():
        response = APIClient().get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    return dict(response.json())


def request_schema(schema: dict[str, Any], path: str) -> str | None:
    body = schema["paths"][path]["post"].get("requestBody")
    return body["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1] if body else None


def test_each_ticket_action_documents_its_own_input(schema: dict[str, Any]) -> None:
    for name, api in ACTIONS.items():
        expected = api.__name__.removesuffix("Api") + "Input"
        found = request_schema(schema, f"/api/v1/tickets/{{number}}/{name}/")
        assert found in (expected, None), (name, found)  # None: an action without fields (sign) has no body
        if api.InputSerializer().fields:
            assert found == expected


def test_each_rectification_and_appeal_action_documents_its_own_input(schema: dict[str, Any]) -> None:
    for prefix, actions in (("rectifications", RECTIFICATION_ACTIONS), ("appeals", APPEAL_ACTIONS)):
        for name, api in actions.items():
            if api.InputSerializer().fields:
                assert (
                    request_schema(schema, f"/api/v1/{prefix}/{{id}}/{name}/")
                    == api.__name__.removesuffix("Api") + "Input"
                )


def test_lists_are_documented_as_pages(schema: dict[str, Any]) -> None:
    components = schema["components"]["schemas"]
    for path in ("/api/v1/tickets/", "/api/v1/notifications/", "/api/v1/surveys/"):
        ok = schema["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
        page = components[ok["$ref"].rsplit("/", 1)[-1]]
        assert {"next", "previous", "results"} <= set(page["properties"]), path


def test_the_errors_of_an_action_are_documented(schema: dict[str, Any]) -> None:
    responses = schema["paths"]["/api/v1/tickets/{number}/dispatch/"]["post"]["responses"]
    assert {"200", "400", "401", "403", "404", "409"} <= set(responses)
    assert responses["409"]["content"]["application/json"]["schema"]["$ref"].endswith("/ErrorOutput")
