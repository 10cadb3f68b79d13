"""The deadline sweep that beat runs every minute (DESIGN.md section 3).

It claims due rows in batches with SELECT … FOR UPDATE SKIP LOCKED, decides with the database clock, and writes the
mark, the event, the supervision notice and the outbox row in the batch's transaction. Two sweeps never act on the
same row; a sweep killed half way loses nothing (its open batch rolls back and the next sweep takes it); the unique
constraints on events, notices and outbox keys are the backstop.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import cast

from django.db import connection, transaction
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from tickets.models import Deadline, Outbox, SupervisionNotice, TicketEvent

BATCH_SIZE = 500


@dataclass
class SweepResult:
    warned: int = 0
    breached: int = 0


def database_now() -> datetime:
    """The database's clock: every web and worker host agrees on it, whatever their own clocks say."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT CURRENT_TIMESTAMP")
        value = cursor.fetchone()[0]
    if isinstance(value, str):  # SQLite answers a UTC string
        parsed = parse_datetime(value)
        assert parsed is not None
        value = parsed
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def sweep_deadlines(*, now: datetime | None = None, batch_size: int = BATCH_SIZE) -> SweepResult:
    """Mark every due warning and breach once. ``now`` defaults to the database clock."""
    now = now or database_now()
    result = SweepResult()
    while (count := _breach_batch(now, batch_size)) > 0:
        result.breached += count
    while (count := _warn_batch(now, batch_size)) > 0:
        result.warned += count
    return result


def _claim_and_mark(now: datetime, batch_size: int, *, mark: str, when: str, verb: str) -> list[Deadline]:
    """Lock up to ``batch_size`` open rows whose ``when`` has come and whose ``mark`` is unset; set it; log it.
    A breached clock is never warned afterwards (a late sweep says only what is still true)."""
    rows = list(
        Deadline.objects.select_for_update(skip_locked=True, of=("self",))
        .select_related("ticket")
        .filter(state=Deadline.State.OPEN, **{"breached_at": None, mark: None, f"{when}__lte": now})
        .order_by("pk")[:batch_size]
    )
    for deadline in rows:
        setattr(deadline, mark, now)
    Deadline.objects.bulk_update(rows, [mark])
    TicketEvent.objects.bulk_create(
        TicketEvent(
            ticket=d.ticket,
            verb=f"{d.kind}_{verb}",
            deadline=d,
            from_status=d.ticket.status,
            to_status=d.ticket.status,
            payload={"due_at": d.due_at.isoformat()},
            at=now,
        )
        for d in rows
    )
    return rows


@transaction.atomic
def _breach_batch(now: datetime, batch_size: int) -> int:
    rows = _claim_and_mark(now, batch_size, mark="breached_at", when="due_at", verb="breached")
    with_department = [d for d in rows if d.department_id]
    SupervisionNotice.objects.bulk_create(
        SupervisionNotice(
            ticket=d.ticket,
            department_id=cast(int, d.department_id),
            kind=SupervisionNotice.Kind.SUPERVISE,
            reason=_("Deadline breached: %(clock)s") % {"clock": d.get_kind_display()},
            deadline=d,
            issued_at=now,
        )
        for d in with_department
    )
    Outbox.objects.bulk_create(
        Outbox(
            kind=Outbox.Kind.BREACH,
            key=f"breach:{d.pk}",
            ticket=d.ticket,
            department_id=d.department_id,
            heads_only=True,
            created_at=now,
            text=_("%(number)s: %(clock)s deadline breached")
            % {"number": d.ticket.number, "clock": d.get_kind_display()},
        )
        for d in with_department
    )
    return len(rows)


@transaction.atomic
def _warn_batch(now: datetime, batch_size: int) -> int:
    rows = _claim_and_mark(now, batch_size, mark="warned_at", when="warn_at", verb="warned")
    Outbox.objects.bulk_create(
        Outbox(
            kind=Outbox.Kind.WARNING,
            key=f"warning:{d.pk}",
            ticket=d.ticket,
            department_id=d.department_id,
            created_at=now,
            text=_("%(number)s: %(clock)s deadline is near")
            % {"number": d.ticket.number, "clock": d.get_kind_display()},
        )
        for d in rows
        if d.department_id
    )
    return len(rows)
