"""The fault suite: real PostgreSQL, Redis, Celery worker and beat, gunicorn and an SMS gateway, each a process."""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import pytest

from tests.faults.harness import ROOT, Services, services_for


@pytest.fixture
def services(transactional_db: None, request: pytest.FixtureRequest) -> Iterator[Services]:
    """Processes started by the test; all are stopped before the database is emptied. Their logs are kept in
    test-artifacts/faults/<test>/ until the next run."""
    logs = ROOT / "test-artifacts" / "faults" / request.node.name
    shutil.rmtree(logs, ignore_errors=True)
    logs.mkdir(parents=True)
    yield from services_for(logs)
