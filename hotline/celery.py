"""The Celery app and its beat schedule. Tasks live in each app's tasks.py and take ids."""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hotline.settings")

app = Celery("hotline")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

app.conf.beat_schedule = {
    # Deadlines are rows; this marks warnings and breaches once each (DESIGN.md section 3).
    "sweep-deadlines": {"task": "tickets.tasks.sweep_deadlines_task", "schedule": 60.0},
    # Notifications whose after-commit kick was lost (broker down) go out within a minute of it coming back.
    "deliver-outbox": {"task": "tickets.tasks.deliver_outbox", "schedule": 60.0},
    # Today's and tomorrow's ticket-number sequences, made ahead so that no intake waits for another's (numbering.py).
    "ticket-sequences": {"task": "tickets.tasks.ticket_sequences_ensure_task", "schedule": crontab(minute=7)},
    # Make sure this year's and next year's working-day calendars exist (seeded as provisional when missing).
    # Last month's figures, frozen once on the first working day of the month (hourly, so a stopped beat catches up).
    "reports-freeze-last-month": {"task": "reviews.tasks.reports_freeze_last_month", "schedule": crontab(minute=20)},
    "rollup-refresh": {"task": "reviews.tasks.rollup_refresh", "schedule": 600.0},
    # The suggested category and department learn from the day's finished tickets (learning/suggest/store.py).
    "suggest-train-nightly": {"task": "learning.tasks.suggest_train_task", "schedule": crontab(minute=30, hour=2)},
    "hotspots-refresh": {"task": "learning.tasks.hotspots_refresh_task", "schedule": 600.0},
    "calendar-ensure-years": {
        "task": "org.tasks.calendar_ensure_years",
        "schedule": crontab(minute=5, hour="*/6"),
    },
}
