"""The Celery app and its beat schedule. Tasks live in each app's tasks.py and take ids."""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hotline.settings")

app = Celery("hotline")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

app.conf.beat_schedule = {
    # Make sure this year's and next year's working-day calendars exist (seeded as provisional when missing).
    "calendar-ensure-years": {
        "task": "org.tasks.calendar_ensure_years",
        "schedule": crontab(minute=5, hour="*/6"),
    },
}
