from __future__ import annotations

from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from org.calendar import DatabaseCalendar
from supervision.reports import report_freeze
from tickets.deadlines import nth_working_day_after


@shared_task
def reports_freeze_last_month() -> str | None:
    """From the first working day of a month on, freeze last month's report (once; later runs find it stored)."""
    today = timezone.localdate()
    first = today.replace(day=1)
    first_working = nth_working_day_after(first - timedelta(days=1), 1, DatabaseCalendar())
    if today < first_working:
        return None
    last_month = (first - timedelta(days=1)).replace(day=1)
    return report_freeze(last_month).digest


@shared_task
def rollup_refresh() -> list[str]:
    """Keep this month's and last month's rollup current (every 10 minutes)."""
    from supervision.rollup import rollup_current

    return [month.isoformat() for month in rollup_current()]
