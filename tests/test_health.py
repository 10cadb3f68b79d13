"""/healthz reports the database and the broker; 503 when the database is down."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db import connection
from django.test import Client

from hotline.celery import app as celery_app


def closed_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # nothing listens once the socket is closed


def test_healthz_is_200_with_postgresql_and_redis_up(db: None, client: Client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "broker": "ok"}
    assert celery_app.conf.broker_url.startswith("redis://127.0.0.1:")


@pytest.fixture
def broker_unreachable() -> Iterator[None]:
    original = celery_app.conf.broker_url
    celery_app.conf.update(broker_url=f"redis://127.0.0.1:{closed_port()}/0")
    yield
    celery_app.conf.update(broker_url=original)


def test_healthz_stays_200_and_reports_a_broker_that_is_down(db: None, client: Client, broker_unreachable) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["database"] == "ok"
    assert response.json()["broker"].startswith("down")


@pytest.fixture
def database_unreachable(transactional_db: None) -> Iterator[None]:
    connection.close()
    original = connection.settings_dict["PORT"]
    connection.settings_dict["PORT"] = closed_port()
    yield
    connection.close()
    connection.settings_dict["PORT"] = original


def test_healthz_is_503_when_the_database_is_down(database_unreachable: None) -> None:
    response = Client().get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"].startswith("down")
