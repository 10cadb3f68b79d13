"""What the centre decides (extensions, replies, closing) and what supervisors send (督办, 催办)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from hotline.errors import DomainError
from org.models import User
from tickets import permissions, workflow
from tickets.models import ExtensionRequest, Outbox, Reply, SupervisionNotice, Ticket
from tickets.services.clocks import deadline_start, deadline_start_until, policy_days
from tickets.services.common import event_record, notify, status_move, ticket_lock
from tickets.services.finish import ticket_finish
from tickets.services.ownership import ticket_write
from tickets.services.surveys import survey_round_open


@ticket_write
def ticket_decide_extension(*, ticket_id: int, actor: User, approve: bool, note: str = "") -> ExtensionRequest:
    ticket = ticket_lock(ticket_id=ticket_id, actor=actor, verb="decide_extension")
    request = ticket.extensions.filter(state=ExtensionRequest.State.PENDING).first()
    if request is None:
        raise DomainError(_("There is no extension request to decide."), code="no_extension")
    now = timezone.now()
    request.state = ExtensionRequest.State.APPROVED if approve else ExtensionRequest.State.REJECTED
    request.decided_by, request.decided_at, request.decision_note = actor, now, note.strip()
    request.save(update_fields=["state", "decided_by", "decided_at", "decision_note"])
    payload = {"approved": approve, "new_due_date": request.new_due_date.isoformat()}
    if approve and ticket.status == workflow.IN_PROGRESS:
        deadline = deadline_start_until(
            ticket, "reply", department=request.dispatch.department, started_at=now, last_day=request.new_due_date
        )
        payload["due_at"] = deadline.due_at.isoformat()
    event_record(ticket, actor, "decide_extension", note=note.strip(), payload=payload)
    notify(
        ticket,
        Outbox.Kind.EXTENSION_DECIDED,
        key=f"extension:{request.pk}",
        department=request.dispatch.department,
        text=(gettext("Extension of %(number)s approved") if approve else gettext("Extension of %(number)s rejected"))
        % {"number": ticket.number},
    )
    return request


def _pending_reply(ticket: Ticket) -> Reply:
    reply = ticket.replies.filter(state=Reply.State.PENDING).order_by("-submitted_at").first()
    if reply is None:
        raise DomainError(_("There is no reply to review."), code="no_reply")
    return reply


@ticket_write
def ticket_approve_reply(*, ticket_id: int, actor: User, note: str = "") -> Ticket:
    ticket = ticket_lock(ticket_id=ticket_id, actor=actor, verb="approve_reply")
    reply = _pending_reply(ticket)
    now = timezone.now()
    reply.state, reply.reviewed_by, reply.reviewed_at, reply.review_note = Reply.State.APPROVED, actor, now, note
    reply.save(update_fields=["state", "reviewed_by", "reviewed_at", "review_note"])
    status_move(ticket, workflow.AWAITING_SURVEY, actor=actor, verb="approve_reply", note=note)
    pending = ticket.extensions.filter(state=ExtensionRequest.State.PENDING).first()
    if pending is not None:  # the reply is in: there is nothing left to extend
        pending.state, pending.decided_at = ExtensionRequest.State.CANCELLED, now
        pending.save(update_fields=["state", "decided_at"])
        event_record(ticket, actor, "extension_cancel", payload={"new_due_date": pending.new_due_date.isoformat()})
    survey_round_open(ticket, at=now)
    return ticket


@ticket_write
def ticket_send_back(*, ticket_id: int, actor: User, reason: str) -> Ticket:
    """退回重办: the reply is not good enough; the department gets a new reply deadline."""
    ticket = ticket_lock(ticket_id=ticket_id, actor=actor, verb="send_back")
    if not reason.strip():
        raise DomainError(_("Say what must be done again."), code="reason_required")
    reply = _pending_reply(ticket)
    now = timezone.now()
    reply.state, reply.reviewed_by, reply.reviewed_at, reply.review_note = Reply.State.SENT_BACK, actor, now, reason
    reply.save(update_fields=["state", "reviewed_by", "reviewed_at", "review_note"])
    status_move(ticket, workflow.IN_PROGRESS, actor=actor, verb="send_back", note=reason.strip())
    department = reply.dispatch.department
    deadline_start(
        ticket,
        "reply",
        department=department,
        started_at=now,
        working_days=policy_days(ticket, "reply"),
        cause="send_back",
    )
    notify(
        ticket,
        Outbox.Kind.SENT_BACK,
        key=f"sent_back:{reply.pk}",
        department=department,
        text=gettext("%(number)s was sent back for rework") % {"number": ticket.number},
    )
    return ticket


@ticket_write
def ticket_close(*, ticket_id: int, actor: User, note: str = "") -> Ticket:
    """The reviewer closes a ticket without (further) survey: a close without survey counts as not surveyed."""
    ticket = ticket_lock(ticket_id=ticket_id, actor=actor, verb="close")
    return ticket_finish(ticket, actor=actor, verb="close", note=note)


def _notice(ticket_id: int, actor: User, verb: str, reason: str) -> SupervisionNotice:
    ticket = ticket_lock(ticket_id=ticket_id, actor=actor, verb=verb)
    lead = permissions.lead_dispatch(ticket)
    if lead is None:
        raise DomainError(_("The ticket has no department to supervise."), code="no_department")
    if not reason.strip():
        raise DomainError(_("Give the reason for the notice."), code="reason_required")
    notice = SupervisionNotice.objects.create(
        ticket=ticket, department=lead.department, kind=verb, reason=reason.strip(), issued_by=actor
    )
    event_record(ticket, actor, verb, note=reason.strip(), payload={"notice": notice.pk})
    text = gettext("Supervision notice on %(number)s") if verb == "supervise" else gettext("Reminder on %(number)s")
    notify(
        ticket,
        verb,
        key=f"notice:{notice.pk}",
        department=lead.department,
        text=text % {"number": ticket.number},
        heads_only=verb == "supervise",
    )
    return notice


@ticket_write
def ticket_supervise(*, ticket_id: int, actor: User, reason: str) -> SupervisionNotice:
    """督办: a formal supervision notice to the lead department's head."""
    return _notice(ticket_id, actor, "supervise", reason)


@ticket_write
def ticket_remind(*, ticket_id: int, actor: User, reason: str) -> SupervisionNotice:
    """催办: a reminder to the lead department's handlers."""
    return _notice(ticket_id, actor, "remind", reason)
