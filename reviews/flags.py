"""Suspicious rating patterns, flagged for the centre. A flag never changes a rating."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from org.models import Department
from reviews.models import FraudFlag, SurveyRound


def flags_detect(survey: SurveyRound) -> list[str]:
    """Check one new answer against the patterns of DESIGN.md section 4; returns the kinds flagged.

    The shared-IP check of a link answer runs after the citizen's transaction commits (``flag_shared_ip``): the
    answer never waits for it, and a failure there never loses the answer."""
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
        transaction.on_commit(lambda: flag_shared_ip(survey.pk), robust=True)
    FraudFlag.objects.bulk_create(
        [FraudFlag(kind=kind, round=survey, detail=detail) for kind, detail in found.items()], ignore_conflicts=True
    )
    return list(found)


def flag_shared_ip(round_id: int) -> bool:
    """Flag a link answer when its IP address answered more links today than allowed (index ``round_by_answer_ip``)."""
    survey = SurveyRound.objects.filter(pk=round_id).only("answer_ip", "answered_at").first()
    if survey is None or not survey.answer_ip or survey.answered_at is None:
        return False
    day_start = timezone.localtime(survey.answered_at).replace(hour=0, minute=0, second=0, microsecond=0)
    count = SurveyRound.objects.filter(
        state=SurveyRound.State.ANSWERED, answer_ip=survey.answer_ip, answered_at__gte=day_start
    ).count()
    if count <= settings.FRAUD_SHARED_IP_LIMIT:
        return False
    FraudFlag.objects.bulk_create(
        [FraudFlag(kind=FraudFlag.Kind.SHARED_IP, round_id=round_id, detail={"answers_today": count})],
        ignore_conflicts=True,
    )
    return True


def _entered_by_rated_department(survey: SurveyRound) -> bool:
    """A user of the rated department (or above it) entered the rating. The centre's own callback on a ticket it
    answered itself is its ordinary survey work, not self-rating."""
    user, rated = survey.entered_by, survey.department
    if user is None or user.department is None or rated is None:
        return False
    if user.department.kind == Department.Kind.CENTRE:
        return False
    return rated.path.startswith(user.department.path)
