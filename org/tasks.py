from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from org.services import calendar_year_seed
from org.tokens import api_tokens_expired_delete


@shared_task
def calendar_ensure_years() -> list[int]:
    """Seed this year's and next year's calendar from the holidays package where missing; returns the new years."""
    year = timezone.localdate().year
    return [y for y in (year, year + 1) if calendar_year_seed(year=y)[1]]


@shared_task
def api_tokens_expire() -> int:
    """Delete every expired API token (those of users who never signed in again); returns how many."""
    return api_tokens_expired_delete()
