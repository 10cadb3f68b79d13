"""Deadline rows: started from the policy and the calendar, met, superseded, paused and resumed, ended.

The sweep marks warnings and breaches (tickets/sweeps.py). A clock ends when its duty ends: ``deadlines_end`` is
called by whatever finishes the duty and is never counted as met or breached.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from hotline.inputs import ensure_year_in_range
from org.calendar import calendar_kept
from org.models import Department
from org.reference import reference
from tickets.deadlines import Calendar, due_after, end_of, nth_working_day_after
from tickets.models import Deadline, DeadlinePolicy, Ticket

WARN_FRACTION = 0.8  # yellow light when 80% of the period has passed
DEFAULT_DAYS = {"response": 1, "reply": 5, "survey": 2, "intake": 1}
LIVE = (Deadline.State.OPEN, Deadline.State.PAUSED)


def _policies(kind: str, urgency: str) -> list[DeadlinePolicy]:
    policies = reference(
        ("policies", kind, urgency),
        lambda: list(DeadlinePolicy.objects.filter(Q(kind=kind) | Q(kind=""), Q(urgency=urgency) | Q(urgency=""))),
    )
    return list(policies)


def policy_days(ticket: Ticket, clock: str) -> int:
    """Working days for ``clock`` ("response", "reply", "survey", "intake") by the most specific matching policy."""
    best = sorted(_policies(ticket.kind, ticket.urgency), key=lambda p: (p.kind == "", p.urgency == ""))
    if best:
        return int(getattr(best[0], f"{clock}_days"))
    return DEFAULT_DAYS[clock]


def warn_time(started: datetime, due: datetime) -> datetime:
    return started + (due - started) * WARN_FRACTION


def last_day_of(due_at: datetime) -> date:
    """The last day of a period that ends at ``due_at`` (24:00 is written as 00:00 of the next day)."""
    return timezone.localtime(due_at - timedelta(microseconds=1)).date()


def deadline_start(
    ticket: Ticket,
    kind: str,
    *,
    department: Department | None,
    started_at: datetime,
    working_days: int,
    cause: str = "",
    rated_department: Department | None = None,
    fresh: bool = False,
) -> Deadline:
    """Open a clock of ``working_days`` working days from ``started_at``, superseding any open one of the kind.
    ``rated_department``: a survey clock's, copied from its round (see Deadline). ``fresh``: the ticket was created
    in this transaction and has no clock to supersede."""
    if not fresh:
        deadline_supersede(ticket, [kind], at=started_at)
    clock = deadline_new(ticket, kind, department=department, started_at=started_at, working_days=working_days)
    clock.cause = cause  # "send_back": the rework clock that the 退回重办 tab lists
    clock.rated_department = rated_department
    clock.save(force_insert=True)
    return clock


def deadline_new(
    ticket: Ticket, kind: str, *, department: Department | None, started_at: datetime, working_days: int
) -> Deadline:
    """A clock of ``working_days`` working days from ``started_at``, not yet saved (a write that makes several rows
    at once saves them together)."""
    due = due_after(started_at, working_days, calendar_kept(), close_of_business=settings.HOTLINE_CLOSE_OF_BUSINESS)
    return Deadline(
        ticket=ticket,
        department=department,
        kind=kind,
        started_at=started_at,
        due_at=due.at,
        warn_at=warn_time(started_at, due.at),
        provisional=due.provisional,
        working_days=working_days,
    )


def deadlines_start(
    ticket: Ticket, kinds: list[str], *, department: Department | None, started_at: datetime
) -> list[Deadline]:
    """Open the clocks of ``kinds`` by the policy's working days, superseding the open ones of those kinds, in one
    UPDATE and one INSERT (a dispatch starts the response and the reply clocks together)."""
    deadline_supersede(ticket, kinds, at=started_at)
    rows = [
        deadline_new(ticket, kind, department=department, started_at=started_at, working_days=policy_days(ticket, kind))
        for kind in kinds
    ]
    return Deadline.objects.bulk_create(rows)


def deadline_start_until(
    ticket: Ticket, kind: str, *, department: Department | None, started_at: datetime, last_day: date
) -> Deadline:
    """Open a clock that ends with ``last_day`` (an approved extension's new date, a ledger entry's deadline)."""
    ensure_year_in_range(last_day)  # a date the calendar cannot count to is refused, not an OverflowError
    deadline_supersede(ticket, [kind], at=started_at)
    due = end_of(last_day, settings.HOTLINE_CLOSE_OF_BUSINESS)
    calendar = calendar_kept()
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


def deadlines_end(ticket: Ticket, *, at: datetime, kinds: list[str] | None = None) -> list[str]:
    """End the open and paused clocks (of ``kinds``, or all): their duty is gone. Returns the kinds ended."""
    live = Deadline.objects.filter(ticket=ticket, state__in=LIVE)
    if kinds is not None:
        live = live.filter(kind__in=kinds)
    ended = sorted(live.values_list("kind", flat=True))
    live.update(state=Deadline.State.ENDED, ended_at=at)
    return ended


def deadlines_pause(ticket: Ticket, *, at: datetime, kinds: list[str], department: Department | None) -> list[str]:
    """Pause the open clocks of ``kinds`` (of ``department``): the duty waits on somebody else's decision."""
    open_clocks = Deadline.objects.filter(ticket=ticket, state=Deadline.State.OPEN, kind__in=kinds)
    if department is not None:
        open_clocks = open_clocks.filter(department=department)
    paused = sorted(open_clocks.values_list("kind", flat=True))
    open_clocks.update(state=Deadline.State.PAUSED, paused_at=at)
    return paused


def working_days_between(after: date, until: date, calendar: Calendar) -> int:
    """Working days d with ``after`` < d <= ``until`` (the Civil Code's way: the first day is not counted)."""
    day, count = after, 0
    while day < until:
        day += timedelta(days=1)
        count += calendar.is_working_day(day)
    return count


def deadlines_resume(ticket: Ticket, *, at: datetime) -> list[str]:
    """Resume the paused clocks, each given back the working days the pause took (so the time left is unchanged)."""
    calendar = calendar_kept()
    resumed = []
    for deadline in Deadline.objects.filter(ticket=ticket, state=Deadline.State.PAUSED):
        assert deadline.paused_at is not None
        lost = working_days_between(timezone.localdate(deadline.paused_at), timezone.localdate(at), calendar)
        if lost:
            deadline.extra_working_days += lost
            last_day = nth_working_day_after(last_day_of(deadline.due_at), lost, calendar)
            deadline.due_at = end_of(last_day, settings.HOTLINE_CLOSE_OF_BUSINESS)
            deadline.provisional = deadline.provisional or not calendar.is_confirmed(last_day.year)
            if deadline.warned_at is None:
                deadline.warn_at = warn_time(deadline.started_at, deadline.due_at)
        deadline.state, deadline.paused_at = Deadline.State.OPEN, None
        deadline.save(update_fields=["state", "paused_at", "due_at", "warn_at", "provisional", "extra_working_days"])
        resumed.append(deadline.kind)
    return sorted(resumed)
