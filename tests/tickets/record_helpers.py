"""Reading a ticket's page, print view and API detail as a given user."""

from __future__ import annotations

from typing import Any

from django.test import Client

from org.models import User


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def ticket_page(user: User, number: str, suffix: str = "") -> str:
    response = client_for(user).get(f"/tickets/{number}/{suffix}")
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def api_detail(user: User, number: str) -> dict[str, Any]:
    response = client_for(user).get(f"/api/v1/tickets/{number}/")
    assert response.status_code == 200, response.content
    return response.json()
