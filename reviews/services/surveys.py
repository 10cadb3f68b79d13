"""Survey rounds: opened when a reply is approved (or a call answered directly), answered by phone, SMS or IVR."""

from __future__ import annotations

import hashlib
import logging
import secrets
from datetime import datetime

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from hotline.errors import DomainError, NotFound
from org.models import User
from reviews import flags
from reviews.models import SurveyAttempt, SurveyRound
from tickets import workflow
from tickets.models import Ticket
from tickets.services.clocks import deadline_meet, deadline_start, policy_days
from tickets.services.common import event_record, status_move, ticket_lock
from tickets.services.finish import ticket_finish
from tickets.services.ownership import ticket_write
from tickets.services.sms import sms_queue

logger = logging.getLogger(__name__)
SURVEYABLE = (workflow.AWAITING_SURVEY, workflow.ANSWERED)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def survey_round_open(ticket: Ticket, *, at: datetime) -> SurveyRound:
    """Start a survey round and its deadline; text the citizen a one-time link (after commit)."""
    department = ticket.lead_department or (ticket.received_by.department if ticket.received_by else None)
    deadline = deadline_start(
        ticket,
        "survey",
        department=None,  # the centre's clock
        rated_department=department,  # 回访率 counts it for the department rated (a copy of the round's)
        started_at=at,
        working_days=policy_days(ticket, "survey"),
    )
    phone = ticket.caller.phone if ticket.caller else ""
    token = secrets.token_urlsafe(24) if phone else ""  # 192 bits; only its hash is stored
    survey = SurveyRound.objects.create(
        ticket=ticket,
        number=SurveyRound.objects.filter(ticket=ticket).count() + 1,
        department=department,
        deadline=deadline,
        opened_at=at,
        anonymous=ticket.anonymous,
        evaluator_phone=phone,
        token_hash=token_hash(token) if token else "",
        token_expires_at=deadline.due_at if token else None,
    )
    if token:
        link = f"{settings.HOTLINE_PUBLIC_URL.rstrip('/')}/s/{token}"
        text = gettext("12345 hotline: please rate how ticket %(number)s was handled: %(link)s") % {
            "number": ticket.number,
            "link": link,
        }
        sms_queue(phone=phone, text=text, key=f"survey:{survey.pk}", ticket=ticket)  # sent by the outbox delivery
    return survey


def _open_round(ticket: Ticket) -> SurveyRound:
    survey = SurveyRound.objects.select_for_update().filter(ticket=ticket, state=SurveyRound.State.OPEN).first()
    if survey is None:
        raise DomainError(_("This ticket has no survey waiting."), code="no_survey")
    return survey


def spaced_failures(survey: SurveyRound) -> int:
    """Unanswered attempts that count towards "unreachable": each at least SURVEY_ATTEMPT_SPACING after the last
    one counted (three tries a minute apart are one try)."""
    counted, last = 0, None
    for at in (
        survey.attempts.exclude(outcome=SurveyAttempt.Outcome.ANSWERED)
        .order_by("at", "pk")
        .values_list("at", flat=True)
    ):
        if last is None or at - last >= settings.SURVEY_ATTEMPT_SPACING:
            counted, last = counted + 1, at
    return counted


def _valid_answer(rating: int | None, solved: bool | None) -> tuple[int, bool]:
    if rating not in (1, 2, 3, 4, 5):
        raise DomainError(_("Choose a rating from 1 to 5."), code="invalid_rating")
    if solved is None:
        raise DomainError(_("Say whether the problem was solved."), code="solved_required")
    return rating, solved


def record_answer(
    ticket: Ticket,
    survey: SurveyRound,
    *,
    channel: str,
    actor: User | None,
    rating: int,
    solved: bool,
    comment: str = "",
    ip: str | None = None,
) -> SurveyRound:
    """The citizen answered: close the round; a good rating closes the ticket, a bad one opens a rectification."""
    from reviews.services.rectification import rectification_open

    now = timezone.now()
    survey.state, survey.channel, survey.rating, survey.solved = SurveyRound.State.ANSWERED, channel, rating, solved
    survey.comment, survey.entered_by, survey.answered_at, survey.answer_ip = comment.strip(), actor, now, ip
    survey.save()
    deadline_meet(ticket, "survey", at=now)
    payload = {"round": survey.number, "rating": rating, "solved": solved, "channel": channel}
    if survey.is_bad:
        status_move(ticket, workflow.RECTIFYING, actor=actor, verb="survey", payload=payload)
        rectification_open(ticket, survey, at=now)
    else:
        ticket_finish(ticket, actor=actor, verb="survey", payload=payload)
    flags.flags_detect(survey)
    return survey


@ticket_write
def ticket_survey(
    *,
    ticket_id: int,
    actor: User,
    outcome: str,
    rating: int | None = None,
    solved: bool | None = None,
    comment: str = "",
) -> SurveyRound:
    """The operator's callback: one attempt, answered (with the answer) or not."""
    ticket = ticket_lock(ticket_id=ticket_id, actor=actor, verb="survey")
    survey = _open_round(ticket)
    if outcome not in SurveyAttempt.Outcome.values:
        raise DomainError(_("Choose the outcome of the call."), code="invalid_outcome")
    if outcome == SurveyAttempt.Outcome.ANSWERED:
        rating, solved = _valid_answer(rating, solved)
    SurveyAttempt.objects.create(round=survey, outcome=outcome, channel="phone", entered_by=actor)
    if outcome == SurveyAttempt.Outcome.ANSWERED:
        assert rating is not None and solved is not None
        return record_answer(
            ticket, survey, channel="phone", actor=actor, rating=rating, solved=solved, comment=comment
        )
    failed = spaced_failures(survey)
    if failed < settings.SURVEY_MAX_ATTEMPTS:
        payload = {"round": survey.number, "outcome": outcome, "counted": failed}
        event_record(ticket, actor, "survey_attempt", payload=payload)
        return survey
    survey.state = SurveyRound.State.UNREACHABLE
    survey.save(update_fields=["state"])
    deadline_meet(ticket, "survey", at=timezone.now())
    ticket_finish(
        ticket, actor=actor, verb="survey", payload={"round": survey.number, "unreachable": True, "attempts": failed}
    )
    return survey


@ticket_write
def survey_answer_sms(
    *, token: str, rating: int | None, solved: bool | None, comment: str = "", ip: str | None = None
) -> SurveyRound:
    """The citizen's answer on the /s/<token> page: once, before the survey deadline.

    Lock order (STYLE.md 14): the token leads to a round, so find the ticket id without a lock, lock the ticket,
    then the round, as ``ticket_survey`` and ``ticket_close`` do; the other order deadlocks against them.
    """
    rounds = SurveyRound.objects.filter(token_hash=token_hash(token)) if token else SurveyRound.objects.none()
    found = rounds.values("pk", "ticket_id").first()
    if found is None:
        raise NotFound(_("This survey link is not valid."), code="invalid_link")
    ticket = Ticket.objects.select_for_update().get(pk=found["ticket_id"])
    survey = SurveyRound.objects.select_for_update().get(pk=found["pk"])
    if survey.state != SurveyRound.State.OPEN:
        raise DomainError(_("This survey has already been answered. Thank you."), code="already_answered")
    if survey.token_expires_at is None or timezone.now() >= survey.token_expires_at:
        raise DomainError(_("This survey link has expired."), code="link_expired")
    rating, solved = _valid_answer(rating, solved)
    workflow.ensure_allowed("survey", ticket.status)
    SurveyAttempt.objects.create(round=survey, outcome=SurveyAttempt.Outcome.ANSWERED, channel="sms")
    return record_answer(
        ticket, survey, channel="sms", actor=None, rating=rating, solved=solved, comment=comment, ip=ip
    )


@ticket_write
def survey_answer_ivr(*, number: str, rating: int | None, solved: bool | None) -> SurveyRound:
    """A keypad answer from the IVR (the webhook's signature is checked by the API before this is called)."""
    ticket = Ticket.objects.select_for_update().filter(number=number).first()
    if ticket is None or ticket.status not in SURVEYABLE:
        raise NotFound(_("This ticket has no survey waiting."), code="no_survey")
    survey = _open_round(ticket)
    rating, solved = _valid_answer(rating, solved)
    SurveyAttempt.objects.create(round=survey, outcome=SurveyAttempt.Outcome.ANSWERED, channel="ivr")
    return record_answer(ticket, survey, channel="ivr", actor=None, rating=rating, solved=solved)
