"""Suspicious rating patterns, flagged for the centre. A flag never changes a rating."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from reviews.models import FraudFlag, SurveyRound


def flags_detect(survey: SurveyRound) -> list[str]:
    """Check one new answer against the patterns of DESIGN.md section 4; returns the kinds flagged."""
    found: dict[str, dict] = {}
    now = survey.answered_at or timezone.now()
    day_start = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    answered = SurveyRound.objects.filter(state=SurveyRound.State.ANSWERED)
    if survey.evaluator_phone:
        count = answered.filter(evaluator_phone=survey.evaluator_phone, answered_at__gte=day_start).count()
        if count > settings.FRAUD_PHONE_DAILY_LIMIT:
            found[FraudFlag.Kind.PHONE_VOLUME] = {"ratings_today": count}
    if survey.department_id:
        window = now - timedelta(minutes=settings.FRAUD_BURST_MINUTES)
        same = answered.filter(department_id=survey.department_id, rating=survey.rating, answered_at__gte=window)
        if same.count() >= settings.FRAUD_BURST_COUNT:
            found[FraudFlag.Kind.BURST] = {"identical": same.count(), "minutes": settings.FRAUD_BURST_MINUTES}
    if _entered_by_rated_department(survey):
        assert survey.entered_by is not None
        found[FraudFlag.Kind.SELF_RATING] = {"user": survey.entered_by.username}
    if survey.answer_ip:
        count = answered.filter(answer_ip=survey.answer_ip, answered_at__gte=day_start).count()
        if count > settings.FRAUD_SHARED_IP_LIMIT:
            found[FraudFlag.Kind.SHARED_IP] = {"answers_today": count}
    FraudFlag.objects.bulk_create(
        [FraudFlag(kind=kind, round=survey, detail=detail) for kind, detail in found.items()], ignore_conflicts=True
    )
    return list(found)


def _entered_by_rated_department(survey: SurveyRound) -> bool:
    user, rated = survey.entered_by, survey.department
    if user is None or user.department is None or rated is None:
        return False
    return rated.path.startswith(user.department.path)
