"""Helpers for the closed-loop tests: tickets driven through the real services, and each user's to-do."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from org.models import User
from tests.factories import Actors, department


@pytest.fixture
def unit(actors: Actors) -> User:
    """A handler of 市城市管理综合执法支队, the child unit of 市城市管理局."""
    return User.objects.get(username="unit")


def work(user: User) -> dict[str, list[str]]:
    """``GET /api/v1/work/`` as ``user``: queue key → ticket numbers (every queue's count checked against its page)."""
    client = APIClient()
    client.force_authenticate(user)
    response = client.get("/api/v1/work/")
    assert response.status_code == 200, response.content
    queues = response.json()["queues"]
    for queue in queues:
        assert queue["count"] >= len(queue["tickets"])
    return {q["key"]: [t["number"] for t in q["tickets"]] for q in queues if q["tickets"]}


def owned(user: User) -> set[str]:
    return {number for numbers in work(user).values() for number in numbers}


def cgj():
    return department("cgj")
