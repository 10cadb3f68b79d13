"""Finishing a ticket, whatever finished it: one function, so that every clock ends with its duty (DESIGN.md 3)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from org.models import User
from tickets import workflow
from tickets.models import Dispatch, ExtensionRequest, Ticket
from tickets.services.clocks import deadlines_end
from tickets.services.common import status_move
from tickets.services.surveys import rectifications_end, survey_rounds_cancel


def ticket_finish(
    ticket: Ticket, *, actor: User | None, verb: str, note: str = "", payload: dict[str, Any] | None = None
) -> Ticket:
    """Close ``ticket`` (already locked by the caller) with ``verb``: a good rating, unreachable, the reviewer's
    close, an upheld appeal, or its main ticket closing. Ends every open or paused clock (never met, never breached),
    cancels pending extension and return requests and open survey rounds, ends an unfinished rectification, closes
    its merged repeats, and writes one event that lists what it ended."""
    now = timezone.now()
    ended = deadlines_end(ticket, at=now)
    extensions = ExtensionRequest.objects.filter(ticket=ticket, state=ExtensionRequest.State.PENDING)
    cancelled_extensions = extensions.update(state=ExtensionRequest.State.CANCELLED, decided_at=now)
    returns = Dispatch.objects.filter(ticket=ticket, return_state=Dispatch.ReturnState.PENDING)
    cancelled_returns = returns.update(return_state=Dispatch.ReturnState.CANCELLED)
    survey_rounds_cancel(ticket)
    rectifications_end(ticket, at=now)
    details = {
        **(payload or {}),
        "ended_clocks": ended,
        "cancelled_extensions": cancelled_extensions,
        "cancelled_returns": cancelled_returns,
    }
    status_move(ticket, workflow.CLOSED, actor=actor, verb=verb, note=note, payload=details)
    repeats = Ticket.objects.select_for_update().filter(merged_into=ticket, status=workflow.MERGED).order_by("pk")
    for repeat in repeats:
        ticket_finish(repeat, actor=actor, verb="close_with_main", payload={"main": ticket.number})
    return ticket
