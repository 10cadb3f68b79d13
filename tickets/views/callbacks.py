"""The operator's callback queue (回访), one citizen at a time, for a headset: the reply and the department beside the
rating buttons, the number masked until "reveal and dial" (audited, then a tel: link), and saving moves on to the next
callback. A ticket whose last call went unanswered waits SURVEY_ATTEMPT_SPACING before it is offered again."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.db.models import OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from hotline.errors import DomainError, NotFound
from hotline.inputs import ascii_int
from org.models import User
from org.permissions import request_user, role_required
from org.services import audit_record
from reviews import services as review_services
from reviews.models import SurveyAttempt, SurveyRound
from reviews.services.surveys import spaced_failures
from tickets import permissions
from tickets.models import Deadline, Reply, Ticket
from tickets.selectors import ticket_get
from tickets.work import queue_tickets

CENTRE = (User.Role.OPERATOR, User.Role.REVIEWER)


def _callbacks(user: User) -> QuerySet[Ticket]:
    """The survey queue, each ticket with the time of its open round's last unanswered call."""
    last_try = (
        SurveyAttempt.objects.filter(round__ticket=OuterRef("pk"), round__state=SurveyRound.State.OPEN)
        .exclude(outcome=SurveyAttempt.Outcome.ANSWERED)
        .order_by("-at")
        .values("at")[:1]
    )
    survey_clock = Prefetch("deadlines", queryset=Deadline.objects.filter(kind="survey", state="open"))
    return (
        queue_tickets(user, "survey")
        .select_related("caller")
        .prefetch_related(survey_clock)
        .annotate(last_try=Subquery(last_try))
    )


def callback_next(user: User, *, now: datetime) -> Ticket | None:
    """The first callback due that may be called now (soonest survey deadline first)."""
    ready = Q(last_try__isnull=True) | Q(last_try__lte=now - settings.SURVEY_ATTEMPT_SPACING)
    return _callbacks(user).filter(ready).first()


def _ticket(request: HttpRequest, number: str) -> Ticket:
    try:
        return ticket_get(viewer=request_user(request), number=number)
    except NotFound:
        raise Http404 from None


def _context(request: HttpRequest, ticket: Ticket | None, **extra: Any) -> dict[str, Any]:
    user, now = request_user(request), timezone.now()
    queue = list(_callbacks(user)[:30])
    later = {t.pk: t.last_try + settings.SURVEY_ATTEMPT_SPACING for t in queue if t.last_try}  # type: ignore[attr-defined]
    context: dict[str, Any] = {
        "ticket": ticket,
        "queue": [(t, later[t.pk] if later.get(t.pk, now) > now else None) for t in queue],
        "ratings": SurveyRound.Rating.choices,
        "max_attempts": settings.SURVEY_MAX_ATTEMPTS,
        "spacing_hours": settings.SURVEY_ATTEMPT_SPACING.total_seconds() / 3600,
        "posted": request.POST if request.method == "POST" else {},
        **extra,
    }
    if ticket is not None:
        survey = ticket.survey_rounds.filter(state=SurveyRound.State.OPEN).first()
        reply = ticket.replies.filter(state=Reply.State.APPROVED).order_by("-reviewed_at").first()
        answer = ticket.events.filter(verb="answer").order_by("-pk").first()
        context.update(
            survey=survey,
            attempts=list(survey.attempts.select_related("entered_by").order_by("at")) if survey else [],
            counted=spaced_failures(survey) if survey else 0,
            reply_text=reply.text if reply else (answer.note if answer else ""),
            department=(survey.department if survey else None) or ticket.lead_department,
            phone=ticket.caller.phone if ticket.caller else "",
            may_dial=bool(
                ticket.caller and ticket.caller.phone and permissions.may_see_caller(request_user(request), ticket)
            ),
        )
    return context


@role_required(*CENTRE)
def callbacks(request: HttpRequest) -> HttpResponse:
    """The next callback (or the one asked for from the list beside it)."""
    user = request_user(request)
    number = request.GET.get("ticket", "")
    ticket = _ticket(request, number) if number else callback_next(user, now=timezone.now())
    if ticket is not None and not ticket.survey_rounds.filter(state=SurveyRound.State.OPEN).exists():
        ticket = None
    return render(request, "tickets/callbacks.html", _context(request, ticket))


@require_POST
@role_required(*CENTRE)
def callback_dial(request: HttpRequest, number: str) -> HttpResponse:
    """Reveal the caller's number and dial it: the reveal is written to the audit log, the page opens tel:."""
    ticket = _ticket(request, number)
    viewer = request_user(request)
    if not ticket.caller or not ticket.caller.phone or not permissions.may_see_caller(viewer, ticket):
        raise Http404
    audit_record(actor=viewer, action="caller_phone_view", target=f"ticket:{ticket.number}", detail={"for": "callback"})
    if "application/json" in request.headers.get("Accept", ""):  # the page's script dials within the same click
        return JsonResponse({"phone": ticket.caller.phone})
    return render(request, "tickets/callbacks.html", _context(request, ticket, revealed=True))


@require_POST
@role_required(*CENTRE)
def callback_save(request: HttpRequest, number: str) -> HttpResponse:
    """One callback attempt; then the next callback. A refused save shows the same callback with what was entered."""
    ticket = _ticket(request, number)
    outcome = request.POST.get("outcome", "")
    try:
        survey = review_services.ticket_survey(
            ticket_id=ticket.pk,
            actor=request_user(request),
            outcome=outcome,
            rating=ascii_int(request.POST.get("rating")),
            solved={"yes": True, "no": False}.get(request.POST.get("solved", "")),
            comment=request.POST.get("comment", "")[:2000],
        )
    except DomainError as error:
        context = _context(request, ticket, error=error.message, revealed=request.POST.get("revealed") == "1")
        return render(request, "tickets/callbacks.html", context, status=error.status)
    messages.success(request, _said(ticket, survey, outcome))
    return redirect(reverse("tickets:callbacks"))


def _said(ticket: Ticket, survey: SurveyRound, outcome: str) -> str:
    if survey.state == SurveyRound.State.UNREACHABLE:
        return gettext("Ticket %(number)s closed as unreachable: %(n)d unanswered calls, spaced as required.") % {
            "number": ticket.number,
            "n": spaced_failures(survey),
        }
    if survey.state == SurveyRound.State.ANSWERED:
        return gettext("Ticket %(number)s: the citizen's rating is recorded.") % {"number": ticket.number}
    again = timezone.localtime(timezone.now() + settings.SURVEY_ATTEMPT_SPACING)
    return gettext(
        "Ticket %(number)s: no answer (%(n)d of %(max)d tries counted). It comes back to the queue at %(time)s."
    ) % {
        "number": ticket.number,
        "n": spaced_failures(survey),
        "max": settings.SURVEY_MAX_ATTEMPTS,
        "time": date_format(again, "m-d H:i"),
    }
