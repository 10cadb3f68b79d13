"""Keeping each ticket's owner columns equal to ``tickets.owner.owner_of`` in the transaction that changed it.

Every write service is wrapped in ``ticket_write``: an atomic block that collects the tickets whose events it
recorded and, before it returns (still inside the transaction), stores their owner afresh. So no service can forget
to move a ticket between queues, and a rolled-back change moves nothing.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, ParamSpec, TypeVar

from django.db import transaction
from django.utils import timezone

from org.models import Department
from org.reference import write_memo
from tickets.models import Deadline, Dispatch, ExtensionRequest, Ticket
from tickets.owner import Facts, Owner, owner_of

P = ParamSpec("P")
WHO = ("owner_queue", "owner_department_id", "owner_user_id")  # the owner; owner_since moves when these change
R = TypeVar("R")
_touched: ContextVar[set[int] | None] = ContextVar("tickets_touched", default=None)


def ticket_touched(ticket_id: int) -> None:
    """Called by ``event_record``: this ticket changed in the current write."""
    touched = _touched.get()
    if touched is not None:
        touched.add(ticket_id)


@contextmanager
def _collecting() -> Iterator[set[int]]:
    outer = _touched.get()
    mine: set[int] = set()
    token = _touched.set(mine)
    try:
        yield mine
    finally:
        _touched.reset(token)
        if outer is not None:
            outer.update(mine)


def ticket_write(func: Callable[P, R]) -> Callable[P, R]:
    """``transaction.atomic`` for a write service, which also refreshes the owner of every ticket it changed. A
    service's ``attachments`` are written to the storage first and removed again if the transaction fails."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        from tickets.services.attachments import uploads_discard, uploads_store

        stored = uploads_store(kwargs["attachments"]) if kwargs.get("attachments") else []  # type: ignore[arg-type]
        if stored:
            kwargs["attachments"] = stored  # written before the transaction and its row locks, removed if it fails
        outermost = _touched.get() is None  # a write inside another write leaves the refresh to the outer one
        try:
            with transaction.atomic(), _collecting() as touched, write_memo():
                result = func(*args, **kwargs)
                if outermost:
                    for ticket_id in sorted(touched):
                        owner_refresh(ticket_id)
                return result
        except BaseException:
            uploads_discard(stored)  # the rows that named them are rolled back with the service's savepoint
            raise

    return wrapper


def centre_id() -> int | None:
    return Department.objects.filter(kind=Department.Kind.CENTRE).values_list("pk", flat=True).first()


def ticket_facts(ticket: Ticket) -> Facts:
    """Read what ``owner_of`` needs: a handful of indexed queries on the ticket's own rows."""
    from reviews.models import Appeal, Rectification

    due = dict(
        Deadline.objects.filter(ticket=ticket, state=Deadline.State.OPEN).values_list("kind", "due_at").order_by()
    )
    lead = ticket.dispatches.filter(role=Dispatch.Role.LEAD, active=True).values_list("pk", "department_id").first()
    sub = (
        ticket.dispatches.filter(role=Dispatch.Role.SUB, active=True, replied_at=None, parent_id=lead[0])
        .values_list("department_id", flat=True)
        .first()
        if lead
        else None
    )
    rectification = (
        Rectification.objects.filter(ticket=ticket).order_by("-pk").values_list("pk", "state", "department_id").first()
    )
    appeal = (
        Appeal.objects.filter(round__rectification__pk=rectification[0])
        .order_by("-pk")
        .values_list("state", "department_id")
        .first()
        if rectification
        else None
    )
    rework = Deadline.objects.filter(ticket=ticket, kind="reply", state="open", cause="send_back").exists()
    return Facts(
        status=ticket.status,
        centre_id=centre_id() or 0,
        lead_department_id=lead[1] if lead else None,
        open_sub_department_id=sub,
        extension_pending=ExtensionRequest.objects.filter(ticket=ticket, state="pending").exists(),
        taken_by_id=ticket.taken_by_id,
        rectification_state=rectification[1] if rectification else None,
        rectification_department_id=rectification[2] if rectification else None,
        appeal_state=appeal[0] if appeal else "",
        appeal_department_id=appeal[1] if appeal else None,
        rework=rework,
        due=due,
    )


def ticket_owner(ticket: Ticket) -> Owner | None:
    return owner_of(ticket_facts(ticket))


def owner_columns(owner: Owner | None) -> dict[str, Any]:
    """The ticket's owner columns for ``owner_of``'s answer (all empty for a finished ticket)."""
    return {
        "owner_queue": owner.queue if owner else "",
        "owner_department_id": (owner.department_id or None) if owner else None,
        "owner_user_id": owner.user_id if owner else None,
        "owner_due_at": owner.due_at if owner else None,
    }


def owner_refresh(ticket_id: int) -> Ticket:
    """Store the owner ``owner_of`` gives now; ``owner_since`` moves only when the owner changes."""
    ticket = Ticket.objects.get(pk=ticket_id)
    owner = ticket_owner(ticket)
    columns = owner_columns(owner)
    changed = any(getattr(ticket, name) != columns[name] for name in WHO)
    if changed or ticket.owner_due_at != columns["owner_due_at"]:
        for name, value in columns.items():
            setattr(ticket, name, value)
        if changed:
            ticket.owner_since = timezone.now() if owner else None
        Ticket.objects.filter(pk=ticket_id).update(**columns, owner_since=ticket.owner_since)
    return ticket
