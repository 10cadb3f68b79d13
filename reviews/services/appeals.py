"""复核: a handler appeals a bad review, the head gives the first opinion, the centre decides."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hotline.errors import DomainError, NotFound
from org.models import User
from reviews import permissions
from reviews.models import Appeal, SurveyRound
from tickets.services.common import event_record

A = Appeal.State


@transaction.atomic
def appeal_apply(*, ticket_number: str, actor: User, reasons: str) -> Appeal:
    """Against the latest bad review of a ticket of the applicant's department."""
    survey = (
        SurveyRound.objects.select_for_update(of=("self",))
        .select_related("department", "ticket")
        .filter(ticket__number=ticket_number, state=SurveyRound.State.ANSWERED, rating__in=(1, 2))
        .order_by("-number")
        .first()
    )
    if survey is None or survey.department is None:
        raise NotFound(_("Not found."))
    permissions.ensure_department_actor(actor, survey.department)
    if survey.untrue:
        raise DomainError(_("This review has already been found untrue."), code="already_untrue")
    if survey.appeals.filter(state__in=(A.AWAITING_HEAD, A.AWAITING_CENTRE)).exists():
        raise DomainError(_("An appeal against this review is already under way."), code="appeal_pending")
    if len(reasons.strip()) < 4:
        raise DomainError(_("Give the reasons for the appeal."), code="reason_required")
    appeal = Appeal.objects.create(
        round=survey, ticket=survey.ticket, department=survey.department, applicant=actor, reasons=reasons.strip()
    )
    event_record(survey.ticket, actor, "appeal_apply", note=reasons.strip(), payload={"appeal": appeal.pk})
    return appeal


def _lock(appeal_id: int, actor: User, state: str) -> Appeal:
    appeal = (
        Appeal.objects.select_for_update(of=("self",))
        .select_related("department", "ticket", "round")
        .filter(pk=appeal_id)
    )
    found = appeal.first()
    if found is None:
        raise NotFound(_("Not found."))
    permissions.ensure_in_scope(actor, found.department)
    if found.state != state:
        raise DomainError(_("This step is not possible at this stage of the appeal."), code="transition_not_allowed")
    return found


@transaction.atomic
def appeal_opinion(*, appeal_id: int, actor: User, supports: bool, note: str) -> Appeal:
    appeal = _lock(appeal_id, actor, A.AWAITING_HEAD)
    permissions.ensure_department_actor(actor, appeal.department, heads_only=True)
    if not note.strip():
        raise DomainError(_("Give your opinion on the appeal."), code="note_required")
    appeal.state, appeal.head, appeal.head_supports = A.AWAITING_CENTRE, actor, supports
    appeal.head_note, appeal.head_at = note.strip(), timezone.now()
    appeal.save()
    event_record(
        appeal.ticket, actor, "appeal_opinion", note=note.strip(), payload={"appeal": appeal.pk, "supports": supports}
    )
    return appeal


@transaction.atomic
def appeal_decide(*, appeal_id: int, actor: User, upheld: bool, note: str) -> Appeal:
    """Upheld: the review is marked 不属实; it stays visible with the decision and leaves every rate."""
    appeal = _lock(appeal_id, actor, A.AWAITING_CENTRE)
    permissions.ensure_reviewer(actor)
    if not note.strip():
        raise DomainError(_("Give the reasons for the decision."), code="note_required")
    appeal.state = A.UPHELD if upheld else A.REJECTED
    appeal.decided_by, appeal.decision_note, appeal.decided_at = actor, note.strip(), timezone.now()
    appeal.save()
    if upheld:
        SurveyRound.objects.filter(pk=appeal.round_id).update(untrue=True)
    event_record(
        appeal.ticket, actor, "appeal_decide", note=note.strip(), payload={"appeal": appeal.pk, "upheld": upheld}
    )
    return appeal
