"""Deadline rows: started from the policy and the calendar, met, superseded. The sweep marks warnings and breaches."""

from __future__ import annotations

from datetime import date, datetime

from django.conf import settings
from django.db.models import Q

from org.calendar import DatabaseCalendar
from org.models import Department
from tickets.deadlines import due_after, end_of
from tickets.models import Deadline, DeadlinePolicy, Ticket

WARN_FRACTION = 0.8  # yellow light when 80% of the period has passed
DEFAULT_DAYS = {"response": 1, "reply": 5, "survey": 2}


def policy_days(ticket: Ticket, clock: str) -> int:
    """Working days for ``clock`` ("response", "reply", "survey") by the most specific matching policy."""
    policies = DeadlinePolicy.objects.filter(
        Q(kind=ticket.kind) | Q(kind=""), Q(urgency=ticket.urgency) | Q(urgency="")
    )
    best = sorted(policies, key=lambda p: (p.kind == "", p.urgency == ""))
    if best:
        return int(getattr(best[0], f"{clock}_days"))
    return DEFAULT_DAYS[clock]


def warn_time(started: datetime, due: datetime) -> datetime:
    return started + (due - started) * WARN_FRACTION


def deadline_start(
    ticket: Ticket,
    kind: str,
    *,
    department: Department | None,
    started_at: datetime,
    working_days: int,
    cause: str = "",
) -> Deadline:
    """Open a clock of ``working_days`` working days from ``started_at``, superseding any open one of the kind."""
    deadline_supersede(ticket, [kind], at=started_at)
    due = due_after(started_at, working_days, DatabaseCalendar(), close_of_business=settings.HOTLINE_CLOSE_OF_BUSINESS)
    return Deadline.objects.create(
        ticket=ticket,
        department=department,
        kind=kind,
        started_at=started_at,
        due_at=due.at,
        warn_at=warn_time(started_at, due.at),
        provisional=due.provisional,
        cause=cause,  # "send_back": the rework clock that the 退回重办 tab lists
    )


def deadline_start_until(
    ticket: Ticket, kind: str, *, department: Department | None, started_at: datetime, last_day: date
) -> Deadline:
    """Open a clock that ends with ``last_day`` (an approved extension's new date)."""
    deadline_supersede(ticket, [kind], at=started_at)
    due = end_of(last_day, settings.HOTLINE_CLOSE_OF_BUSINESS)
    calendar = DatabaseCalendar()
    provisional = not calendar.is_confirmed(last_day.year)
    return Deadline.objects.create(
        ticket=ticket,
        department=department,
        kind=kind,
        started_at=started_at,
        due_at=due,
        warn_at=warn_time(started_at, due),
        provisional=provisional,
    )


def deadline_open(ticket: Ticket, kind: str) -> Deadline | None:
    return Deadline.objects.filter(ticket=ticket, kind=kind, state=Deadline.State.OPEN).first()


def deadline_meet(ticket: Ticket, kind: str, *, at: datetime) -> Deadline | None:
    """Stop the open clock of ``kind`` as met at ``at`` (on time or late: the row keeps both times)."""
    deadline = deadline_open(ticket, kind)
    if deadline is not None:
        deadline.state, deadline.met_at = Deadline.State.MET, at
        deadline.save(update_fields=["state", "met_at"])
    return deadline


def deadline_supersede(ticket: Ticket, kinds: list[str], *, at: datetime) -> int:
    return Deadline.objects.filter(ticket=ticket, kind__in=kinds, state=Deadline.State.OPEN).update(
        state=Deadline.State.SUPERSEDED, superseded_at=at
    )
