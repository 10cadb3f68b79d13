"""复核: a handler appeals a bad review, the head gives the first opinion, the centre decides.

The steps are declared in reviews/steps.py. While an appeal is pending the rectification waits: its clocks are paused
and its steps are not offered. An upheld appeal marks the review 不属实, ends the rectification and finishes the ticket;
a rejected one resumes the rectification's clocks with the working time they had left.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hotline.errors import DomainError, NotFound
from org.models import Department, User
from reviews import permissions, steps
from reviews.models import Appeal, Rectification, SurveyRound
from reviews.services.rectification import appeal_state
from tickets import workflow
from tickets.models import Deadline, Ticket
from tickets.services.clocks import deadlines_pause, deadlines_resume
from tickets.services.common import event_record
from tickets.services.finish import ticket_finish
from tickets.services.ownership import ticket_write

A = Appeal.State
RECTIFICATION_CLOCKS = ["rect_response", "rect_reply", "ledger"]


@ticket_write
def appeal_apply(*, ticket_number: str, actor: User, reasons: str) -> Appeal:
    """Against the bad review that opened the ticket's current rectification, by the rated department."""
    ticket = Ticket.objects.select_for_update().filter(number=ticket_number).first()
    rect = (
        Rectification.objects.select_for_update(of=("self",))
        .select_related("department", "round")
        .filter(ticket=ticket)
        .order_by("-pk")
        .first()
        if ticket
        else None
    )
    if ticket is None or rect is None:
        raise NotFound(_("Not found."))
    permissions.ensure_department_actor(actor, rect.department)
    if rect.department.kind == Department.Kind.CENTRE:
        raise DomainError(_("A rating of the centre's own answer is not appealed."), code="not_appealable")
    survey = rect.round
    if survey.untrue:
        raise DomainError(_("This review has already been found untrue."), code="already_untrue")
    if "appeal_apply" not in steps.appeal_steps(rect.state, appeal_state(rect)):
        raise DomainError(
            _("This review can no longer be appealed (once, while the rectification runs)."), code="not_appealable"
        )
    if len(reasons.strip()) < 4:
        raise DomainError(_("Give the reasons for the appeal."), code="reason_required")
    appeal = Appeal.objects.create(
        round=survey, ticket=ticket, department=rect.department, applicant=actor, reasons=reasons.strip()
    )
    paused = deadlines_pause(ticket, at=appeal.applied_at, kinds=RECTIFICATION_CLOCKS, department=None)
    event_record(ticket, actor, "appeal_apply", note=reasons.strip(), payload={"appeal": appeal.pk, "paused": paused})
    return appeal


def _lock(appeal_id: int, actor: User, verb: str) -> Appeal:
    """Lock the ticket, then the appeal (the one lock order), and check ``verb`` against reviews/steps.py."""
    ticket_id = Appeal.objects.filter(pk=appeal_id).values_list("ticket_id", flat=True).first()
    if ticket_id is None:
        raise NotFound(_("Not found."))
    Ticket.objects.select_for_update().filter(pk=ticket_id).first()
    appeal = (
        Appeal.objects.select_for_update(of=("self",)).select_related("department", "ticket", "round").get(pk=appeal_id)
    )
    permissions.ensure_in_scope(actor, appeal.department)
    if appeal.state not in steps.from_states(verb):
        raise DomainError(_("This step is not possible at this stage of the appeal."), code="transition_not_allowed")
    return appeal


@ticket_write
def appeal_opinion(*, appeal_id: int, actor: User, supports: bool, note: str) -> Appeal:
    appeal = _lock(appeal_id, actor, "appeal_opinion")
    permissions.ensure_department_actor(actor, appeal.department, heads_only=True)
    if not note.strip():
        raise DomainError(_("Give your opinion on the appeal."), code="note_required")
    steps.ensure_step("appeal_opinion", appeal.state, A.AWAITING_CENTRE)
    appeal.state, appeal.head, appeal.head_supports = A.AWAITING_CENTRE, actor, supports
    appeal.head_note, appeal.head_at = note.strip(), timezone.now()
    appeal.save()
    event_record(
        appeal.ticket, actor, "appeal_opinion", note=note.strip(), payload={"appeal": appeal.pk, "supports": supports}
    )
    return appeal


@ticket_write
def appeal_decide(*, appeal_id: int, actor: User, upheld: bool, note: str) -> Appeal:
    """Upheld: the review is 不属实 (it stays visible with the decision and leaves every rate), the rectification
    and its clocks end and the ticket is finished. Rejected: the rectification resumes where it stood."""
    appeal = _lock(appeal_id, actor, "appeal_decide")
    permissions.ensure_reviewer(actor)
    if not note.strip():
        raise DomainError(_("Give the reasons for the decision."), code="note_required")
    to = A.UPHELD if upheld else A.REJECTED
    steps.ensure_step("appeal_decide", appeal.state, to)
    appeal.state, appeal.decided_by, appeal.decision_note, appeal.decided_at = to, actor, note.strip(), timezone.now()
    appeal.save()
    ticket = appeal.ticket
    payload: dict[str, object] = {"appeal": appeal.pk, "upheld": upheld}
    if not upheld:
        payload["resumed"] = deadlines_resume(ticket, at=appeal.decided_at)
        event_record(ticket, actor, "appeal_decide", note=note.strip(), payload=payload)
        return appeal
    rated = SurveyRound.objects.filter(pk=appeal.round_id)
    rated.update(untrue=True, untrue_at=appeal.decided_at)
    # The copies the rates read (the survey clock's and the rectification's), so that each rate reads one index.
    Deadline.objects.filter(pk__in=rated.values("deadline_id")).update(untrue_at=appeal.decided_at)
    Rectification.objects.filter(round_id=appeal.round_id).update(untrue_at=appeal.decided_at)
    if ticket.status == workflow.RECTIFYING:
        ticket_finish(ticket, actor=actor, verb="appeal_decide", note=note.strip(), payload=payload)
    else:
        event_record(ticket, actor, "appeal_decide", note=note.strip(), payload=payload)
    return appeal
