"""What every transition shares: lock and check, move the status, record the event, queue a notification."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from hotline.errors import NotFound
from org.models import Department, User
from tickets import permissions, workflow
from tickets.models import Deadline, Outbox, Ticket, TicketEvent
from tickets.services.ownership import ticket_touched

logger = logging.getLogger(__name__)


def ticket_lock(*, ticket_id: int, actor: User, verb: str) -> Ticket:
    """Lock the ticket row, then check scope (404), role (403) and state (409), in that order."""
    ticket = Ticket.objects.select_for_update().filter(pk=ticket_id).first()
    if ticket is None:
        raise NotFound(_("No such ticket."))
    permissions.ensure_visible(actor, ticket)
    permissions.ensure_role(actor, verb)
    workflow.ensure_allowed(verb, ticket.status)
    return ticket


def event_record(
    ticket: Ticket,
    actor: User | None,
    verb: str,
    *,
    from_status: str = "",
    to_status: str = "",
    note: str = "",
    payload: dict[str, Any] | None = None,
    deadline: Deadline | None = None,
) -> TicketEvent:
    ticket_touched(ticket.pk)  # the owner is refreshed before the write's transaction ends
    return TicketEvent.objects.create(
        ticket=ticket,
        actor=actor,
        verb=verb,
        from_status=from_status or ticket.status,
        to_status=to_status or ticket.status,
        note=note,
        payload=payload or {},
        deadline=deadline,
    )


def status_move(
    ticket: Ticket, to: str, *, actor: User | None, verb: str, note: str = "", payload: dict[str, Any] | None = None
) -> TicketEvent:
    """The only place a ticket's status is assigned. Checks the move against workflow.TRANSITIONS."""
    workflow.ensure_allowed(verb, ticket.status, to)
    before = ticket.status
    ticket.status = to
    ticket.save(update_fields=["status", "updated_at"])
    return event_record(ticket, actor, verb, from_status=before, to_status=to, note=note, payload=payload)


def status_before_insert(ticket: Ticket, to: str, *, verb: str) -> None:
    """A ticket not saved yet takes its first step before its first save (the console's complete intake inserts it
    already dispatched), checked against workflow.TRANSITIONS as ``status_move`` checks; the caller records the
    events."""
    assert ticket._state.adding, "a saved ticket moves with status_move"
    workflow.ensure_allowed(verb, ticket.status, to)
    ticket.status = to


def notify(
    ticket: Ticket, kind: str, *, key: str, department: Department | None, text: str, heads_only: bool = False
) -> None:
    """Write an outbox row in the current transaction and ask a worker to deliver it after commit.

    If the broker is down the request still succeeds: the row waits, and the beat-run delivery picks it up.
    """
    notify_many(ticket, kind, [(key, department)], text=text, heads_only=heads_only)


def notify_many(
    ticket: Ticket,
    kind: str,
    recipients: Sequence[tuple[str, Department | None]],
    *,
    text: str,
    heads_only: bool = False,
) -> None:
    """``notify`` for several departments at once: (key, department) pairs, one statement."""
    # INSERT … ON CONFLICT DO NOTHING: one round trip; a key already queued (a retried request) keeps its first row.
    Outbox.objects.bulk_create(
        outbox_rows(ticket, kind, recipients, text=text, heads_only=heads_only), ignore_conflicts=True
    )
    outbox_queued()


def outbox_rows(
    ticket: Ticket,
    kind: str,
    recipients: Sequence[tuple[str, Department | None]],
    *,
    text: str,
    heads_only: bool = False,
) -> list[Outbox]:
    """``notify_many``'s rows, not inserted: for a write that inserts them with its other rows (ignoring conflicts,
    as it does), then calls ``outbox_queued``."""
    return [
        Outbox(kind=kind, key=key, ticket=ticket, department=department, text=text, heads_only=heads_only)
        for key, department in recipients
    ]


def outbox_queued() -> None:
    """After this write commits, a worker is nudged to deliver what it queued."""
    transaction.on_commit(outbox_kick, robust=True)


def outbox_kick() -> None:
    """Nudge a worker to deliver now, unless a nudge is already waiting for one; never waits on a down broker (the
    beat-run delivery picks the row up)."""
    from hotline.broker import nudge_unless_pending
    from tickets.tasks import deliver_outbox

    nudge_unless_pending(deliver_outbox)
