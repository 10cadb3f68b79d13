"""Schemathesis sends generated requests to every operation of /api/schema/ as a centre reviewer: none answers 5xx,
and every documented answer matches its schema. A fixed seed and a bounded number of examples keep it repeatable."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, seed, settings
from rest_framework.test import APIClient
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from hotline.wsgi import application
from tests.conftest import DEMO_PASSWORD
from tests.factories import Actors

EXAMPLES_PER_OPERATION = 10


@contextmanager
def connection_kept() -> Iterator[None]:
    """The WSGI handler closes the database connection after each request; the test's transaction must outlive
    them (Django's own test client disconnects the same signal handlers while it runs a request)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def api_schema(db: None) -> Any:
    with connection_kept():
        return schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)


@pytest.fixture
def reviewer_token(actors: Actors) -> str:
    answer = APIClient().post("/api/v1/auth/token/", {"username": "reviewer", "password": DEMO_PASSWORD}, format="json")
    assert answer.status_code == 200
    return str(answer.json()["token"])


def fuzz(operation: Any, token: str, statuses: Counter[int]) -> None:
    """Up to EXAMPLES_PER_OPERATION generated requests, the same ones on every run (seed 1)."""

    @seed(1)
    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy())
    def run(case: Any) -> None:
        response = case.call_and_validate(
            base_url="http://testserver",  # the host the test environment allows
            headers={"Authorization": f"Token {token}"},
            checks=[not_a_server_error, response_schema_conformance],
        )
        statuses[response.status_code // 100 * 100] += 1

    run()


def test_no_api_operation_answers_a_server_error_or_breaks_its_schema(api_schema: Any, reviewer_token: str) -> None:
    failures = []
    statuses: Counter[int] = Counter()
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) > 30
    for operation in operations:
        try:
            with connection_kept():
                fuzz(operation, reviewer_token, statuses)
        except (Exception, BaseExceptionGroup) as failure:  # every operation is tried, all failures reported
            failures.append(f"{operation.label}: {failure}")
    assert failures == [], "\n\n".join(failures)
    assert statuses[200] >= 50, statuses  # the reviewer's token is accepted: many answers are 2xx, not all refusals
