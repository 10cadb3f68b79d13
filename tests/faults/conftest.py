"""The fault suite: real PostgreSQL, Redis, Celery worker and beat, gunicorn and an SMS gateway, each a process."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.faults.harness import Services, services_for


@pytest.fixture
def services(transactional_db: None, tmp_path: Path) -> Iterator[Services]:
    """Processes started by the test; all are stopped before the database is emptied."""
    yield from services_for(tmp_path)
