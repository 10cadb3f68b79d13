"""Celery carries tasks through the real Redis broker to a real worker; beat has the schedule."""

from __future__ import annotations

from celery.contrib.testing.worker import start_worker
from django.utils import timezone

from hotline.celery import app as celery_app
from org.models import CalendarYear
from org.tasks import calendar_ensure_years


def test_a_task_sent_through_redis_is_run_by_a_worker(transactional_db: None) -> None:
    assert celery_app.conf.broker_url.startswith("redis://")
    with start_worker(celery_app, perform_ping_check=False, pool="solo", shutdown_timeout=10):
        created = calendar_ensure_years.apply_async(ignore_result=False).get(timeout=30)
    year = timezone.localdate().year
    assert created == [year, year + 1]
    assert set(CalendarYear.objects.values_list("year", flat=True)) == {year, year + 1}


def test_beat_schedules_the_calendar_task() -> None:
    tasks = {entry["task"] for entry in celery_app.conf.beat_schedule.values()}
    assert "org.tasks.calendar_ensure_years" in tasks
    assert "org.tasks.calendar_ensure_years" in celery_app.tasks


def test_beat_never_asks_for_a_result() -> None:
    """With a result backend set, a publish that wants a result waits on the backend: beat must not (Redis down)."""
    assert celery_app.conf.beat_schedule
    assert all(entry["options"] == {"ignore_result": True} for entry in celery_app.conf.beat_schedule.values())
