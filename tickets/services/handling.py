"""What the lead department does: sign, contact the citizen, ask for more time, reply."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from hotline.errors import DomainError
from hotline.inputs import ensure_within_a_year
from org.calendar import calendar_kept
from org.models import User
from tickets import permissions, workflow
from tickets.deadlines import nth_working_day_after
from tickets.models import Contact, Dispatch, ExtensionRequest, Reply, Ticket
from tickets.services.attachments import attachments_save
from tickets.services.clocks import deadline_meet, deadline_open, last_day_of
from tickets.services.common import event_record, notify, status_move, ticket_lock
from tickets.services.dispatch import open_sub_dispatch
from tickets.services.ownership import ticket_write

CLOCK_SKEW = timedelta(minutes=5)


def _meet_response_if_done(ticket: Ticket, dispatch: Dispatch) -> None:
    """The response clock is met once the lead has signed and the citizen has been contacted (by the lead unit or
    the child unit it passed the work to)."""
    contact = (
        Contact.objects.filter(ticket=ticket, recorded_at__gte=dispatch.dispatched_at)
        .filter(Q(dispatch=dispatch) | Q(dispatch__parent=dispatch))
        .order_by("recorded_at")
        .first()
    )
    if dispatch.signed_at is not None and contact is not None:
        deadline = deadline_meet(ticket, "response", at=max(dispatch.signed_at, contact.recorded_at))
        if deadline is not None:
            event_record(ticket, None, "response_met", deadline=deadline)


def _contacting_dispatch(actor: User, ticket: Ticket) -> Dispatch:
    """The lead unit, or a child unit with the ticket's open sub-dispatch, may record a contact."""
    lead = permissions.lead_dispatch(ticket)
    sub = open_sub_dispatch(ticket, lead) if lead else None
    if sub is not None and permissions.in_subtree(actor, sub.department):
        return sub
    return permissions.ensure_holds(actor, ticket)


@ticket_write
def ticket_sign(*, ticket_id: int, actor: User) -> Ticket:
    ticket = ticket_lock(ticket_id=ticket_id, actor=actor, verb="sign")
    dispatch = permissions.ensure_holds(actor, ticket)
    dispatch.signed_at, dispatch.signed_by = timezone.now(), actor
    dispatch.save(update_fields=["signed_at", "signed_by"])
    status_move(ticket, workflow.IN_PROGRESS, actor=actor, verb="sign")
    _meet_response_if_done(ticket, dispatch)
    return ticket


@ticket_write
def ticket_contact(
    *, ticket_id: int, actor: User, channel: str, note: str = "", contacted_at: datetime | None = None
) -> Contact:
    ticket = ticket_lock(ticket_id=ticket_id, actor=actor, verb="contact")
    dispatch = _contacting_dispatch(actor, ticket)
    now = timezone.now()
    contacted_at = contacted_at or now
    if channel not in Contact.Channel.values:
        raise DomainError(_("Choose how the citizen was contacted."), code="invalid_channel")
    if contacted_at > now + CLOCK_SKEW or contacted_at < dispatch.dispatched_at - CLOCK_SKEW:
        raise DomainError(_("The contact time must lie between the dispatch and now."), code="invalid_time")
    contact = Contact.objects.create(
        ticket=ticket, dispatch=dispatch, actor=actor, channel=channel, contacted_at=contacted_at, note=note.strip()
    )
    event_record(ticket, actor, "contact", note=note.strip(), payload={"channel": channel})
    lead = dispatch.parent if dispatch.role == Dispatch.Role.SUB else dispatch
    assert lead is not None
    _meet_response_if_done(ticket, lead)
    return contact


def extension_latest(reply_due_at: datetime) -> date:
    """The latest date an extension may ask for: the configured working days past the current reply deadline."""
    return nth_working_day_after(
        last_day_of(reply_due_at), settings.HOTLINE_EXTENSION_MAX_WORKING_DAYS, calendar_kept()
    )


@ticket_write
def ticket_extend(
    *, ticket_id: int, actor: User, reason: str, new_due_date: date, citizen_informed: bool
) -> ExtensionRequest:
    """延期申请: before the reply deadline, with a reason, a new date and the citizen told."""
    ticket = ticket_lock(ticket_id=ticket_id, actor=actor, verb="extend")
    dispatch = permissions.ensure_holds(actor, ticket)
    reply = deadline_open(ticket, "reply")
    if reply is None or timezone.now() >= reply.due_at:
        raise DomainError(
            _("The reply deadline has passed: an extension can no longer be requested."), code="extension_too_late"
        )
    if not reason.strip():
        raise DomainError(_("Give the reason for the extension."), code="reason_required")
    if not citizen_informed:
        raise DomainError(_("Tell the citizen about the new date before asking for it."), code="citizen_not_informed")
    if new_due_date <= last_day_of(reply.due_at):
        raise DomainError(_("The new date must be after the current deadline."), code="invalid_date")
    ensure_within_a_year(new_due_date)
    latest = extension_latest(reply.due_at)
    if new_due_date > latest:
        raise DomainError(
            _("The new date may be at most %(days)d working days after the current deadline (%(latest)s).")
            % {"days": settings.HOTLINE_EXTENSION_MAX_WORKING_DAYS, "latest": latest.isoformat()},
            code="extension_too_long",
        )
    if ticket.extensions.filter(state=ExtensionRequest.State.PENDING).exists():
        raise DomainError(_("An extension request is already waiting for a decision."), code="extension_pending")
    request = ExtensionRequest.objects.create(
        ticket=ticket,
        dispatch=dispatch,
        requested_by=actor,
        reason=reason.strip(),
        new_due_date=new_due_date,
        citizen_informed=True,
    )
    event_record(ticket, actor, "extend", note=reason.strip(), payload={"new_due_date": new_due_date.isoformat()})
    return request


@ticket_write
def ticket_reply(
    *, ticket_id: int, actor: User, outcome: str, text: str, attachments: Sequence[UploadedFile] = ()
) -> Reply:
    """The lead unit's reply to the centre. The citizen must have been contacted first (the response duty); a child
    unit's part still out is recalled, because the lead has answered for it."""
    ticket = ticket_lock(ticket_id=ticket_id, actor=actor, verb="reply")
    dispatch = permissions.ensure_holds(actor, ticket)
    if outcome not in Reply.Outcome.values:
        raise DomainError(_("Choose the outcome of the case."), code="invalid_outcome")
    if not text.strip():
        raise DomainError(_("Write the reply to the citizen."), code="reply_required")
    if deadline_open(ticket, "response") is not None:
        raise DomainError(_("Contact the citizen and record the contact before replying."), code="contact_required")
    now = timezone.now()
    sub = open_sub_dispatch(ticket, dispatch)
    if sub is not None:
        sub.active = False
        sub.save(update_fields=["active"])
        event_record(ticket, actor, "sub_dispatch_recall", payload={"department": sub.department_id})
    reply = Reply.objects.create(ticket=ticket, dispatch=dispatch, author=actor, outcome=outcome, text=text.strip())
    attachments_save(ticket=ticket, purpose="reply", object_id=reply.pk, files=attachments, actor=actor)
    dispatch.replied_at = now
    dispatch.save(update_fields=["replied_at"])
    status_move(ticket, workflow.REPLIED, actor=actor, verb="reply", payload={"reply": reply.pk, "outcome": outcome})
    deadline = deadline_meet(ticket, "reply", at=now)
    if deadline is not None:
        event_record(ticket, None, "reply_met", deadline=deadline)
    return reply


@ticket_write
def ticket_co_reply(*, ticket_id: int, actor: User, text: str) -> Dispatch:
    """A co-handling unit (协办) answers the lead unit; the lead stays accountable for the reply to the citizen."""
    ticket = ticket_lock(ticket_id=ticket_id, actor=actor, verb="co_reply")
    dispatch = (
        ticket.dispatches.filter(role=Dispatch.Role.CO, active=True, replied_at=None)
        .filter(department__path__startswith=actor.department.path if actor.department else "-")
        .first()
    )
    if dispatch is None:
        raise DomainError(_("Your unit has no co-handling request on this ticket."), code="not_co_handler")
    if not text.strip():
        raise DomainError(_("Write your reply to the lead unit."), code="reply_required")
    dispatch.replied_at, dispatch.reply_text = timezone.now(), text.strip()
    dispatch.save(update_fields=["replied_at", "reply_text"])
    event_record(ticket, actor, "co_reply", note=text.strip(), payload={"department": dispatch.department_id})
    lead = permissions.lead_dispatch(ticket)
    if lead is not None:
        notify(
            ticket,
            "co_reply",
            key=f"co_reply:{dispatch.pk}",
            department=lead.department,
            text=gettext("%(department)s replied on %(number)s")
            % {"department": dispatch.department.name, "number": ticket.number},
        )
    return dispatch
