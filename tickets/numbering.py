"""Ticket numbers: YYYYMMDD + a 6-digit daily sequence, with no row that every intake must lock.

On PostgreSQL each day has its own sequence, ``ticket_number_YYYYMMDD``, created on the day's first intake (starting
after any number already issued that day). ``nextval`` takes no row lock and is never rolled back, so intakes run in
parallel; the price is that an intake that rolls back leaves a gap in the day's numbers. SQLite, where writers are
serialised anyway, keeps the ``DailySequence`` row.

Beat creates today's and tomorrow's sequences ahead (``ticket_sequences_ensure``), committed on their own: a sequence
created by an intake is only visible to the others once that intake commits, so the first intakes of a day would
otherwise wait for each other.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db import DatabaseError, connection, transaction
from django.db.models import F, Max

from tickets.models import DailySequence, Ticket


def ticket_number_next(day: date) -> str:
    last = _nextval(day) if connection.vendor == "postgresql" else _daily_row(day)
    return f"{day:%Y%m%d}{last:06d}"


def _sequence(day: date) -> str:
    return f"ticket_number_{day:%Y%m%d}"  # digits only: safe to put in SQL


# Sequences this process has drawn from in a transaction that committed: committed, they are never dropped, so the
# next intakes need no savepoint around nextval. (One created in a transaction that rolls back is gone again: it is
# only remembered once that transaction has committed.)
_seen: set[str] = set()


def _nextval(day: date) -> int:
    name = _sequence(day)
    with connection.cursor() as cursor:
        if name in _seen:
            cursor.execute(f"SELECT nextval('{name}')")
            return int(cursor.fetchone()[0])
        try:
            with transaction.atomic():  # a savepoint: a missing sequence must not spoil the intake's transaction
                cursor.execute(f"SELECT nextval('{name}')")
                value = int(cursor.fetchone()[0])
            transaction.on_commit(lambda: _seen.add(name))
            return value
        except DatabaseError:
            pass
        ticket_sequence_ensure(day)
        cursor.execute(f"SELECT nextval('{name}')")
        return int(cursor.fetchone()[0])


def ticket_sequence_ensure(day: date) -> None:
    """The day's sequence, starting after the numbers already issued (by the DailySequence row or otherwise)."""
    prefix = f"{day:%Y%m%d}"
    issued = Ticket.objects.filter(number__startswith=prefix).aggregate(top=Max("number"))["top"]
    row = DailySequence.objects.filter(day=day).values_list("last", flat=True).first() or 0
    start = max(int(issued[len(prefix) :]) if issued else 0, row) + 1
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"CREATE SEQUENCE IF NOT EXISTS {_sequence(day)} START WITH {start} MAXVALUE 999999")
    except DatabaseError:  # another intake created it at the same moment
        pass


def _daily_row(day: date) -> int:
    with transaction.atomic():
        if not DailySequence.objects.filter(day=day).update(last=F("last") + 1):
            try:
                with transaction.atomic():
                    DailySequence.objects.create(day=day, last=1)
            except DatabaseError:  # another intake created today's row first
                DailySequence.objects.filter(day=day).update(last=F("last") + 1)
        return DailySequence.objects.get(day=day).last


def ticket_sequences_ensure(today: date) -> None:
    """Today's and tomorrow's sequences (beat, hourly), so that no intake has to create one."""
    if connection.vendor == "postgresql":
        for day in (today, today + timedelta(days=1)):
            ticket_sequence_ensure(day)


def ticket_numbers_reserve(day: date, count: int) -> list[str]:
    """``count`` numbers of a day in one round trip (a history import numbers thousands of tickets at once)."""
    if count <= 0:
        return []
    prefix = f"{day:%Y%m%d}"
    if connection.vendor == "postgresql":
        query = f"SELECT nextval('{_sequence(day)}') FROM generate_series(1, %s)"  # noqa: S608 - digits only
        with connection.cursor() as cursor:
            try:
                with transaction.atomic():  # a savepoint: the day's sequence may not exist yet
                    cursor.execute(query, [count])
                    values = [int(row[0]) for row in cursor.fetchall()]
            except DatabaseError:
                ticket_sequence_ensure(day)
                cursor.execute(query, [count])
                values = [int(row[0]) for row in cursor.fetchall()]
    else:
        with transaction.atomic():
            if not DailySequence.objects.filter(day=day).update(last=F("last") + count):
                DailySequence.objects.create(day=day, last=count)
            last = DailySequence.objects.get(day=day).last
        values = list(range(last - count + 1, last + 1))
    if values and values[-1] > 999_999:
        raise ValueError(f"more than 999999 tickets on {day}")
    return [f"{prefix}{value:06d}" for value in values]


def ticket_numbers_for_days(days: list[date], ensured: set[date] | None = None) -> list[str]:
    """One number for each day of ``days`` (repeats allowed), in order, in one round trip on PostgreSQL: a history
    import numbers thousands of tickets spread over hundreds of days at once. ``ensured`` remembers the days whose
    sequence this caller already made sure of (a set it keeps between calls)."""
    if connection.vendor != "postgresql":
        counts: dict[date, int] = {}
        for day in days:
            counts[day] = counts.get(day, 0) + 1
        reserved = {day: iter(ticket_numbers_reserve(day, count)) for day, count in counts.items()}
        return [next(reserved[day]) for day in days]
    ensured = set() if ensured is None else ensured
    for day in set(days) - ensured:
        ticket_sequence_ensure(day)
        ensured.add(day)
    query = (
        "SELECT u.day, nextval(('ticket_number_' || u.day)::regclass)"
        " FROM unnest(%s::text[]) WITH ORDINALITY AS u(day, i) ORDER BY u.i"
    )
    with connection.cursor() as cursor:
        cursor.execute(query, [[f"{day:%Y%m%d}" for day in days]])
        numbers = [f"{prefix}{value:06d}" for prefix, value in cursor.fetchall()]
    for number in numbers:
        if len(number) > 14:
            raise ValueError(f"more than 999999 tickets on {number[:8]}")
    return numbers
