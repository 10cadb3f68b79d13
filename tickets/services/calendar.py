"""When the working-day calendar changes, the open clocks that depend on it are computed again (DESIGN.md 3)."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from org.calendar import DatabaseCalendar
from org.models import User
from org.services import audit_record
from tickets.deadlines import BEIJING, due_after
from tickets.models import Deadline, Ticket
from tickets.services.clocks import LIVE, warn_time
from tickets.services.common import event_record
from tickets.services.ownership import ticket_write


def _touching(years: list[int]) -> Q:
    """Clocks whose period (from the day they started to the day they are due) touches one of ``years``."""
    touch = Q(pk__in=[])
    for year in years:
        first = datetime(year, 1, 1, tzinfo=BEIJING)
        after = datetime(year + 1, 1, 1, tzinfo=BEIJING)
        touch |= Q(started_at__lt=after, due_at__gte=first)
    return touch


@ticket_write
def deadlines_recompute(*, years: list[int], actor: User | None, reason: str) -> int:
    """Recompute due time, warning time and the provisional mark of every open or paused clock touching ``years``,
    from the calendar as it is now. A warning or breach already recorded stays recorded. Writes one event on each
    ticket whose clocks changed and one audit row; returns how many clocks changed."""
    calendar = DatabaseCalendar()
    cob = settings.HOTLINE_CLOSE_OF_BUSINESS
    changed: dict[int, list[dict[str, Any]]] = defaultdict(list)
    rows = []
    clocks = Deadline.objects.filter(_touching(years), state__in=LIVE).order_by("pk")
    for clock in clocks.iterator(chunk_size=2000):
        if clock.working_days is not None:
            due = due_after(
                clock.started_at, clock.working_days + clock.extra_working_days, calendar, close_of_business=cob
            )
            due_at, provisional = due.at, due.provisional
        else:  # a fixed date (an approved extension, a ledger deadline): only whether it is provisional can change
            due_at = clock.due_at
            provisional = not calendar.is_confirmed(timezone.localtime(clock.due_at).year)
        if (due_at, provisional) == (clock.due_at, clock.provisional):
            continue
        changed[clock.ticket_id].append(
            {
                "clock": clock.kind,
                "from": clock.due_at.isoformat(),
                "to": due_at.isoformat(),
                "provisional": provisional,
            }
        )
        clock.due_at, clock.provisional = due_at, provisional
        clock.warn_at = warn_time(clock.started_at, due_at)
        rows.append(clock)
    Deadline.objects.bulk_update(rows, ["due_at", "warn_at", "provisional"], batch_size=2000)
    for ticket in Ticket.objects.filter(pk__in=list(changed)).order_by("pk"):
        event_record(ticket, actor, "deadline_recompute", note=reason, payload={"clocks": changed[ticket.pk]})
    audit_record(
        actor=actor,
        action="deadlines_recompute",
        target="calendar:" + ",".join(str(y) for y in years),
        detail={"reason": reason, "clocks": len(rows), "tickets": len(changed)},
    )
    return len(rows)


@ticket_write
def calendar_confirm(*, year: int, actor: User) -> int:
    """The admin confirms ``year``'s official schedule; the open clocks it touches lose their provisional mark."""
    from org.services import calendar_year_confirm

    calendar_year_confirm(year=year, actor=actor)
    return deadlines_recompute(years=[year], actor=actor, reason=f"calendar {year} confirmed")


@ticket_write
def calendar_days_changed(*, year: int, actor: User, changes: list[dict[str, str]]) -> int:
    """Days of ``year`` were added, edited or deleted (in the admin): audit them and recompute the open clocks."""
    audit_record(actor=actor, action="calendar_days_change", target=f"calendar:{year}", detail={"changes": changes})
    return deadlines_recompute(years=[year], actor=actor, reason=f"calendar {year} edited")
