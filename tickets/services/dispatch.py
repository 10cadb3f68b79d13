"""Dispatch to departments, sub-dispatch to child units, returns and their arbitration."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from hotline.errors import DomainError
from org.models import Department, User
from tickets import permissions, workflow
from tickets.models import Dispatch, Outbox, Ticket
from tickets.services.attachments import attachments_save
from tickets.services.clocks import (
    deadline_meet,
    deadlines_end,
    deadlines_pause,
    deadlines_resume,
    deadlines_start,
)
from tickets.services.common import event_record, notify, notify_many, outbox_rows, status_move, ticket_lock
from tickets.services.ownership import ticket_write

DEPARTMENT_CLOCKS = ["response", "reply"]


def _department(department_id: int | None) -> Department:
    return dispatchable(Department.objects.filter(pk=department_id).first() if department_id else None)


def dispatchable(department: Department | None) -> Department:
    """The department, if a ticket may be dispatched to it: active, and neither the centre nor the city."""
    if (
        department is None
        or not department.is_active
        or department.kind in (Department.Kind.CENTRE, Department.Kind.CITY)
    ):
        raise DomainError(_("Choose an active department to handle the ticket."), code="invalid_department")
    return department


def _send(ticket: Ticket, actor: User, lead: Department, co: Sequence[int]) -> Dispatch:
    """Create the lead and co-handling dispatches and start the response and reply clocks of the lead."""
    co_departments = [_department(pk) for pk in dict.fromkeys(co) if pk != lead.pk]
    now = timezone.now()
    dispatch = Dispatch.objects.create(ticket=ticket, department=lead, role=Dispatch.Role.LEAD, dispatched_by=actor)
    for department in co_departments:
        Dispatch.objects.create(ticket=ticket, department=department, role=Dispatch.Role.CO, dispatched_by=actor)
    ticket.lead_department = lead
    ticket.save(update_fields=["lead_department", "updated_at"])
    deadlines_start(ticket, DEPARTMENT_CLOCKS, department=lead, started_at=now)
    dispatch_notify(ticket, dispatch, [lead, *co_departments])
    return dispatch


def dispatch_notify(ticket: Ticket, lead: Dispatch, departments: Sequence[Department]) -> None:
    """Tell each department the ticket came to it: one outbox row each, keyed by the lead dispatch, so a retried
    request queues nothing twice."""
    notify_many(ticket, Outbox.Kind.NEW_TICKET, _new_ticket_keys(ticket, lead, departments), text=_new_ticket(ticket))


def dispatch_outbox(ticket: Ticket, lead: Dispatch, departments: Sequence[Department]) -> list[Outbox]:
    """``dispatch_notify``'s rows, for a write that inserts them with its others (common.outbox_rows)."""
    return outbox_rows(
        ticket, Outbox.Kind.NEW_TICKET, _new_ticket_keys(ticket, lead, departments), text=_new_ticket(ticket)
    )


def _new_ticket_keys(
    ticket: Ticket, lead: Dispatch, departments: Sequence[Department]
) -> list[tuple[str, Department | None]]:
    return [(f"new:{ticket.pk}:{lead.pk}:{department.pk}", department) for department in departments]


def _new_ticket(ticket: Ticket) -> str:
    return gettext("New ticket %(number)s") % {"number": ticket.number}


@ticket_write
def ticket_dispatch(
    *, ticket_id: int, actor: User, department_id: int, co_department_ids: Sequence[int] = ()
) -> Ticket:
    ticket = ticket_lock(ticket_id=ticket_id, actor=actor, verb="dispatch")
    return dispatch_locked(ticket, actor=actor, department_id=department_id, co_department_ids=co_department_ids)


def dispatch_locked(
    ticket: Ticket, *, actor: User, department_id: int, co_department_ids: Sequence[int] = ()
) -> Ticket:
    """Dispatch a ticket this transaction holds: locked by ``ticket_lock``, or received in it (nobody else sees it
    yet). The caller has checked scope, role and state."""
    lead = _department(department_id)
    status_move(
        ticket,
        workflow.DISPATCHED,
        actor=actor,
        verb="dispatch",
        payload={"department": lead.pk, "co_departments": list(co_department_ids)},
    )
    intake = deadline_meet(ticket, "intake", at=timezone.now())
    if intake is not None:
        event_record(ticket, None, "intake_met", deadline=intake)
    _send(ticket, actor, lead, co_department_ids)
    return ticket


def open_sub_dispatch(ticket: Ticket, lead: Dispatch) -> Dispatch | None:
    """The child unit's part that has not come back yet (one at a time)."""
    return (
        ticket.dispatches.filter(role=Dispatch.Role.SUB, active=True, replied_at=None, parent=lead)
        .select_related("department")
        .first()
    )


@ticket_write
def ticket_sub_dispatch(*, ticket_id: int, actor: User, department_id: int, note: str = "") -> Ticket:
    """A district or town head passes the work to a child unit; the lead stays accountable for the deadline."""
    ticket = ticket_lock(ticket_id=ticket_id, actor=actor, verb="sub_dispatch")
    lead = permissions.ensure_holds(actor, ticket)
    child = _department(department_id)
    if child.pk == lead.department.pk or not child.path.startswith(lead.department.path):
        raise DomainError(_("Sub-dispatch only to a unit below the lead department."), code="not_a_child_unit")
    if open_sub_dispatch(ticket, lead) is not None:
        raise DomainError(
            _("A child unit is already handling this ticket: wait for its findings."), code="sub_dispatch_open"
        )
    Dispatch.objects.create(ticket=ticket, department=child, role=Dispatch.Role.SUB, parent=lead, dispatched_by=actor)
    event_record(ticket, actor, "sub_dispatch", note=note, payload={"department": child.pk})
    notify(
        ticket,
        Outbox.Kind.NEW_TICKET,
        key=f"sub:{ticket.pk}:{child.pk}:{timezone.now().timestamp()}",
        department=child,
        text=gettext("New ticket %(number)s") % {"number": ticket.number},
    )
    return ticket


@ticket_write
def ticket_unit_reply(*, ticket_id: int, actor: User, text: str, attachments: Sequence[UploadedFile] = ()) -> Dispatch:
    """A sub-dispatched child unit submits its findings to the lead unit, which replies to the centre."""
    ticket = ticket_lock(ticket_id=ticket_id, actor=actor, verb="unit_reply")
    lead = permissions.lead_dispatch(ticket)
    sub = open_sub_dispatch(ticket, lead) if lead else None
    if lead is None or sub is None or not permissions.in_subtree(actor, sub.department):
        raise DomainError(_("Your unit has no sub-dispatched part of this ticket."), code="not_sub_unit")
    if not text.strip():
        raise DomainError(_("Write your findings for the lead unit."), code="findings_required")
    sub.replied_at, sub.reply_text = timezone.now(), text.strip()
    sub.save(update_fields=["replied_at", "reply_text"])
    attachments_save(ticket=ticket, purpose="findings", object_id=sub.pk, files=attachments, actor=actor)
    event_record(ticket, actor, "unit_reply", note=text.strip(), payload={"department": sub.department_id})
    notify(
        ticket,
        Outbox.Kind.CO_REPLY,
        key=f"findings:{sub.pk}",
        department=lead.department,
        text=gettext("%(department)s submitted findings on %(number)s")
        % {"department": sub.department.name, "number": ticket.number},
    )
    return sub


@ticket_write
def ticket_return(*, ticket_id: int, actor: User, reason: str) -> Ticket:
    """退单: a misrouted ticket goes back to the centre, with a reason, before the response deadline. The
    department's clocks are paused until the centre decides."""
    ticket = ticket_lock(ticket_id=ticket_id, actor=actor, verb="return")
    dispatch = permissions.ensure_holds(actor, ticket)
    if len(reason.strip()) < 4:
        raise DomainError(_("Give the reason for the return."), code="reason_required")
    response = ticket.deadlines.filter(kind="response", department=dispatch.department).order_by("-started_at").first()
    if response is None or timezone.now() >= response.due_at:
        raise DomainError(
            _("The response deadline has passed: the ticket can no longer be returned."), code="return_too_late"
        )
    dispatch.return_state, dispatch.return_reason, dispatch.returned_at = "pending", reason.strip(), timezone.now()
    dispatch.save(update_fields=["return_state", "return_reason", "returned_at"])
    paused = deadlines_pause(ticket, at=dispatch.returned_at, kinds=DEPARTMENT_CLOCKS, department=dispatch.department)
    status_move(ticket, workflow.RETURNED, actor=actor, verb="return", note=reason.strip(), payload={"paused": paused})
    return ticket


@ticket_write
def ticket_arbitrate_return(
    *,
    ticket_id: int,
    actor: User,
    accept: bool,
    note: str = "",
    department_id: int | None = None,
    co_department_ids: Sequence[int] = (),
) -> Ticket:
    """The centre re-dispatches a returned ticket (the old clocks end, new ones start) or rejects the return (the old
    clocks resume with the working time they had left)."""
    ticket = ticket_lock(ticket_id=ticket_id, actor=actor, verb="arbitrate_return")
    old = permissions.lead_dispatch(ticket)
    if old is None:
        raise DomainError(_("This ticket has no return to decide."), code="no_return")
    if not accept:
        if not note.strip():
            raise DomainError(_("Say why the return is rejected."), code="reason_required")
        old.return_state = Dispatch.ReturnState.REJECTED
        old.save(update_fields=["return_state"])
        back = workflow.IN_PROGRESS if old.signed_at else workflow.DISPATCHED
        resumed = deadlines_resume(ticket, at=timezone.now())
        status_move(
            ticket,
            back,
            actor=actor,
            verb="arbitrate_return",
            note=note,
            payload={"accepted": False, "resumed": resumed},
        )
        notify(
            ticket,
            Outbox.Kind.RETURN_DECIDED,
            key=f"return:{old.pk}",
            department=old.department,
            text=gettext("Return of %(number)s rejected") % {"number": ticket.number},
        )
        return ticket
    lead = _department(department_id)
    old.return_state, old.active = Dispatch.ReturnState.ACCEPTED, False
    old.save(update_fields=["return_state", "active"])
    ticket.dispatches.filter(active=True).update(active=False)
    ended = deadlines_end(ticket, at=timezone.now(), kinds=DEPARTMENT_CLOCKS)
    status_move(
        ticket,
        workflow.DISPATCHED,
        actor=actor,
        verb="arbitrate_return",
        note=note,
        payload={"accepted": True, "department": lead.pk, "ended_clocks": ended},
    )
    _send(ticket, actor, lead, co_department_ids)
    return ticket
