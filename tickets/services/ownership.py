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
from django.db.models import Exists, OuterRef, QuerySet, Subquery
from django.utils import timezone

from org.models import Department
from tickets.models import Deadline, Dispatch, ExtensionRequest, Ticket
from tickets.owner import Facts, Owner, owner_of
from tickets.services.clocks import clock_memo

P = ParamSpec("P")
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
            with transaction.atomic(), _collecting() as touched, clock_memo():
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


def _facts() -> dict[str, Any]:
    """What ``owner_of`` needs besides the open clocks, as annotations of a ticket: one query for all of it (a write
    service refreshes its tickets' owners in every transaction: intake included, bench/intake.py)."""
    from reviews.models import Appeal, Rectification

    def lead(ticket: Any) -> QuerySet[Dispatch]:
        return Dispatch.objects.filter(ticket=ticket, role=Dispatch.Role.LEAD, active=True).order_by("pk")

    def latest_rectification(ticket: Any) -> QuerySet[Rectification]:
        return Rectification.objects.filter(ticket=ticket).order_by("-pk")

    sub = Dispatch.objects.filter(
        ticket=OuterRef("pk"),
        role=Dispatch.Role.SUB,
        active=True,
        replied_at=None,
        parent_id=Subquery(lead(OuterRef(OuterRef("pk"))).values("pk")[:1]),
    ).order_by("pk")
    appeal = Appeal.objects.filter(
        round__rectification__pk=Subquery(latest_rectification(OuterRef(OuterRef("pk"))).values("pk")[:1])
    ).order_by("-pk")
    rework = Deadline.objects.filter(ticket=OuterRef("pk"), kind="reply", state="open", cause="send_back")
    return {
        "facts_centre": Subquery(Department.objects.filter(kind=Department.Kind.CENTRE).values("pk")[:1]),
        "facts_lead": Subquery(lead(OuterRef("pk")).values("department_id")[:1]),
        "facts_sub": Subquery(sub.values("department_id")[:1]),
        "facts_rectification_state": Subquery(latest_rectification(OuterRef("pk")).values("state")[:1]),
        "facts_rectification_department": Subquery(latest_rectification(OuterRef("pk")).values("department_id")[:1]),
        "facts_appeal_state": Subquery(appeal.values("state")[:1]),
        "facts_appeal_department": Subquery(appeal.values("department_id")[:1]),
        "facts_rework": Exists(rework),
        "facts_extension": Exists(ExtensionRequest.objects.filter(ticket=OuterRef("pk"), state="pending")),
    }


def _with_facts(ticket: Ticket) -> Facts:
    """``ticket`` annotated by ``_facts`` (its status and taker as loaded), and its open clocks."""
    due = dict(
        Deadline.objects.filter(ticket=ticket, state=Deadline.State.OPEN).values_list("kind", "due_at").order_by()
    )
    annotated: Any = ticket
    return Facts(
        status=ticket.status,
        centre_id=annotated.facts_centre or 0,
        lead_department_id=annotated.facts_lead,
        open_sub_department_id=annotated.facts_sub,
        extension_pending=annotated.facts_extension,
        taken_by_id=ticket.taken_by_id,
        rectification_state=annotated.facts_rectification_state,
        rectification_department_id=annotated.facts_rectification_department,
        appeal_state=annotated.facts_appeal_state or "",
        appeal_department_id=annotated.facts_appeal_department,
        rework=annotated.facts_rework,
        due=due,
    )


def ticket_facts(ticket: Ticket) -> Facts:
    """Read what ``owner_of`` needs: two indexed queries on the ticket's own rows."""
    annotations = _facts()
    facts = Ticket.objects.filter(pk=ticket.pk).annotate(**annotations).values(*annotations).get()
    for name, value in facts.items():
        setattr(ticket, name, value)
    return _with_facts(ticket)


def ticket_owner(ticket: Ticket) -> Owner | None:
    return owner_of(ticket_facts(ticket))


def owner_refresh(ticket_id: int) -> Ticket:
    """Store the owner ``owner_of`` gives now; ``owner_since`` moves only when the owner changes."""
    ticket = Ticket.objects.annotate(**_facts()).get(pk=ticket_id)
    owner = owner_of(_with_facts(ticket))
    queue = owner.queue if owner else ""
    department = (owner.department_id or None) if owner else None
    user = owner.user_id if owner else None
    due = owner.due_at if owner else None
    changed = (ticket.owner_queue, ticket.owner_department_id, ticket.owner_user_id) != (queue, department, user)
    if changed or ticket.owner_due_at != due:
        ticket.owner_queue, ticket.owner_department_id, ticket.owner_user_id = queue, department, user
        ticket.owner_due_at = due
        if changed:
            ticket.owner_since = timezone.now() if owner else None
        Ticket.objects.filter(pk=ticket_id).update(
            owner_queue=queue,
            owner_department_id=department,
            owner_user_id=user,
            owner_due_at=due,
            owner_since=ticket.owner_since,
        )
    return ticket
