"""The Celery app and its beat schedule. Tasks live in each app's tasks.py and take ids."""

import os

from celery import Celery
from celery.schedules import crontab
from celery.signals import beat_init, worker_init

from hotline.env import env_int

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hotline.settings")
# How often beat runs the sweep and the outbox delivery (a minute; the fault tests shorten it to seconds).
SWEEP_SECONDS = env_int("HOTLINE_SWEEP_SECONDS", 60, minimum=1)

app = Celery("hotline")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_init.connect
@beat_init.connect
def _refuse_unsafe_production(**kwargs: object) -> None:
    """The worker and beat run no system checks: production without its secrets does not work (hotline/checks.py)."""
    from hotline.checks import refuse_unsafe_production

    refuse_unsafe_production()


app.conf.beat_schedule = {
    # Deadlines are rows; this marks warnings and breaches once each (DESIGN.md section 3).
    "sweep-deadlines": {"task": "tickets.tasks.sweep_deadlines_task", "schedule": float(SWEEP_SECONDS)},
    # Notifications whose after-commit kick was lost (broker down) go out within a minute of it coming back.
    "deliver-outbox": {"task": "tickets.tasks.deliver_outbox", "schedule": float(SWEEP_SECONDS)},
    # Open-clock count changes folded into the per-day counts the dashboard reads (tickets/clock_counts.py).
    "deadline-counts-compact": {"task": "tickets.tasks.deadline_counts_compact_task", "schedule": float(SWEEP_SECONDS)},
    # Queue count changes folded into the counts of every queue page (tickets/queue_counts.py).
    "queue-counts-compact": {"task": "tickets.tasks.queue_counts_compact_task", "schedule": float(SWEEP_SECONDS)},
    # Today's and tomorrow's ticket-number sequences, made ahead so that no intake waits for another's (numbering.py).
    "ticket-sequences": {"task": "tickets.tasks.ticket_sequences_ensure_task", "schedule": crontab(minute=7)},
    # Last month's figures, frozen once on the first working day of the month (hourly, so a stopped beat catches up).
    "reports-freeze-last-month": {
        "task": "supervision.tasks.reports_freeze_last_month",
        "schedule": crontab(minute=20),
    },
    "rollup-refresh": {"task": "supervision.tasks.rollup_refresh", "schedule": 600.0},
    # The suggested category and department learn from the day's finished tickets (learning/suggest/store.py).
    "suggest-train-nightly": {"task": "learning.tasks.suggest_train_task", "schedule": crontab(minute=30, hour=2)},
    "hotspots-refresh": {"task": "learning.tasks.hotspots_refresh_task", "schedule": 600.0},
    # Expired API tokens are refused when used; their rows go here, and when their user signs in (org/tokens.py).
    "api-tokens-expire": {"task": "org.tasks.api_tokens_expire", "schedule": crontab(minute=50)},
    # Make sure this year's and next year's working-day calendars exist (seeded as provisional when missing).
    "calendar-ensure-years": {
        "task": "org.tasks.calendar_ensure_years",
        "schedule": crontab(minute=5, hour="*/6"),
    },
}
# Beat never asks for a result. With a result backend configured (CELERY_RESULT_BACKEND), a publish that wants one
# subscribes to the backend; while Redis was down each such publish held beat for 20 reconnect attempts and failed
# (tests/faults/test_redis_outage.py). Results are only for callers that wait on them (tests, the shell).
for _entry in app.conf.beat_schedule.values():
    _entry["options"] = {"ignore_result": True}
