"""Celery carries tasks through the real Redis broker to a real worker; beat has the schedule."""

from __future__ import annotations

import os

from celery.contrib.testing.worker import start_worker
from django.utils import timezone

from hotline.celery import app as celery_app
from org.models import CalendarYear
from org.tasks import calendar_ensure_years


def test_a_task_sent_through_redis_is_run_by_a_worker(transactional_db: None) -> None:
    celery_app.conf.update(result_backend=os.environ["REDIS_URL"])
    try:
        with start_worker(celery_app, perform_ping_check=False, pool="solo", shutdown_timeout=10):
            result = calendar_ensure_years.apply_async(ignore_result=False)
            created = result.get(timeout=30)
    finally:
        celery_app.conf.update(result_backend=None)
    year = timezone.localdate().year
    assert created == [year, year + 1]
    assert set(CalendarYear.objects.values_list("year", flat=True)) == {year, year + 1}


def test_beat_schedules_the_calendar_task() -> None:
    tasks = {entry["task"] for entry in celery_app.conf.beat_schedule.values()}
    assert "org.tasks.calendar_ensure_years" in tasks
    assert "org.tasks.calendar_ensure_years" in celery_app.tasks
