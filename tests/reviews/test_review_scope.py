"""Departments see ratings, rectifications and appeals of their own tickets only, and never the evaluator's phone."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from org.models import User
from reviews import services
from reviews.models import Appeal, Rectification
from tests.factories import Actors, department, ticket_in
from tickets import workflow

PHONE = "13812345678"


def api(user: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def bad_review(actors: Actors) -> tuple[Rectification, Appeal]:
    ticket = ticket_in(workflow.AWAITING_SURVEY, actors)
    response = api(actors.operator).post(
        f"/api/v1/tickets/{ticket.number}/survey/",
        {"outcome": "answered", "rating": 1, "solved": False, "comment": "没人管"},
        format="json",
    )
    assert response.status_code == 200, response.json()
    rect = Rectification.objects.get(ticket=ticket)
    appeal = services.appeal_apply(ticket_number=ticket.number, actor=actors.handler, reasons="评价与事实不符")
    return rect, appeal


@pytest.fixture
def outsider(actors: Actors) -> User:
    return User.objects.create_user("zjj-handler", "a-long-password", role="handler", department=department("zjj"))


def test_another_department_gets_404_for_rectifications_and_appeals(bad_review, outsider) -> None:
    rect, appeal = bad_review
    client = api(outsider)
    assert client.get(f"/api/v1/rectifications/{rect.pk}/").status_code == 404
    assert client.post(f"/api/v1/rectifications/{rect.pk}/verify/", {"note": "x"}, format="json").status_code == 404
    assert client.get(f"/api/v1/appeals/{appeal.pk}/").status_code == 404
    assert (
        client.post(f"/api/v1/appeals/{appeal.pk}/opinion/", {"supports": True, "note": "x"}, format="json").status_code
        == 404
    )
    assert client.get("/api/v1/rectifications/").json()["results"] == []
    assert client.get("/api/v1/appeals/").json()["results"] == []
    assert client.get("/api/v1/surveys/").json()["results"] == []
    assert (
        client.get(
            "/api/v1/stats/rates/", {"department": department("cgj").pk, "from": "2026-01-01", "to": "2026-12-31"}
        ).status_code
        == 404
    )


def test_the_department_sees_its_own_rating_and_comment_but_never_the_phone(actors: Actors, bad_review) -> None:
    rect, appeal = bad_review
    client = api(actors.handler)
    responses = [
        client.get("/api/v1/surveys/"),
        client.get("/api/v1/rectifications/"),
        client.get(f"/api/v1/rectifications/{rect.pk}/"),
        client.get("/api/v1/appeals/"),
        client.get(f"/api/v1/appeals/{appeal.pk}/"),
    ]
    assert all(r.status_code == 200 for r in responses)
    assert responses[0].json()["results"][0]["comment"] == "没人管"
    assert responses[2].json()["rating"] == 1
    for response in responses:
        assert PHONE not in response.content.decode() and "5678" not in response.content.decode()


def test_fraud_flags_are_for_the_centre_only(actors: Actors, bad_review) -> None:
    assert api(actors.handler).get("/api/v1/flags/").status_code == 403
    assert api(actors.reviewer).get("/api/v1/flags/").status_code == 200


def test_the_rates_api_returns_numerator_denominator_and_value(actors: Actors, bad_review) -> None:
    from django.utils import timezone

    today = timezone.localdate().isoformat()
    body = api(actors.handler).get("/api/v1/stats/rates/", {"from": today, "to": today}).json()
    assert body["department"] == department("cgj").pk
    assert body["rates"]["satisfaction"] == {"numerator": 0, "denominator": 1, "value": 0.0}
    assert body["rates"]["real_name_bad_review_callback"] == {"numerator": 0, "denominator": 1, "value": 0.0}
    bad = api(actors.supervisor).get("/api/v1/stats/rates/", {"from": today, "to": "2020-01-01"})
    assert bad.status_code == 400
