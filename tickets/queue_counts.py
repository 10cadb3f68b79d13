"""Tickets counted by queue and owner, kept by the database, so that every queue's count on the workbench, the centre
queues and ``GET /api/v1/work/`` costs the same however many tickets wait in it (issue 17).

The same design as the open-clock counts (tickets/clock_counts.py), on the ticket's owner columns:
- Triggers on tickets_ticket (migration 0029, for PostgreSQL and SQLite) append a change row to ``QueueCountDelta`` in
  the transaction that changes a ticket's owner: -1 for the (queue, department, user) it leaves, +1 for the one it
  enters. Every path is covered (services, bulk updates, raw SQL, a generator's load); nothing is updated in place, so
  no intake or dispatch waits on another's counter row.
- ``queue_counts_compact`` (beat, every minute) claims a batch of changes with ``FOR UPDATE SKIP LOCKED``, deletes
  them and adds their sums to ``QueueCount`` with one upsert each, in key order and in one transaction: a reader sees
  each change either pending or folded.
- ``queue_counts`` reads the folded counts and the pending changes of the asked queues in one statement (one
  snapshot), so it is exact at any moment, whether or not the changes have been folded yet.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.db import connection, connections, router, transaction

from org.models import User
from tickets.clock_counts import allow_change_deletes
from tickets.models import QueueCount, QueueCountDelta
from tickets.owner import CENTRE_SIDE, QUEUES

BATCH = 10_000

Key = tuple[str, int, int]  # queue, department id (0 for none), user id (0 for none)


def queue_counts(user: User, keys: Iterable[str]) -> dict[str, int]:
    """How many tickets are in each of ``user``'s queues ``keys`` now (the same numbers as counting
    ``queue_tickets``: tickets.work.queue_filter), in one statement whatever the queues' length."""
    keys = list(keys)
    ours = [k for k in keys if k != "saved" and QUEUES[k].side != CENTRE_SIDE and user.department_id]
    centre = [k for k in keys if k != "saved" and QUEUES[k].side == CENTRE_SIDE]
    where, params = [], []  # a department's queue is its own; a centre queue is nobody's in particular; saved is mine
    if ours:
        where.append(f"(queue IN ({', '.join(['%s'] * len(ours))}) AND unit = %s)")
        params += [*ours, user.department_id]
    if centre:
        where.append(f"(queue IN ({', '.join(['%s'] * len(centre))}) AND person = 0)")
        params += centre
    if "saved" in keys:
        where.append("(queue = 'saved' AND person = %s)")
        params.append(user.pk)
    counts = dict.fromkeys(keys, 0)
    if not where:
        return counts
    cells = " OR ".join(where)
    reader = connections[router.db_for_read(QueueCount)]
    with reader.cursor() as cursor:
        sql = (  # the conditions are ours, every value a %s
            f"SELECT queue, SUM(n) FROM (SELECT queue, tickets AS n FROM tickets_queuecount WHERE {cells}"  # noqa: S608
            f" UNION ALL SELECT queue, delta FROM tickets_queuecountdelta WHERE {cells}) c GROUP BY queue"
        )
        cursor.execute(sql, params * 2)
        for queue, n in cursor.fetchall():
            counts[queue] += int(n)
    return counts


def queue_counts_compact(*, batch: int = BATCH) -> int:
    """Fold the pending changes into the counts, a batch per transaction; returns the changes folded. Safe to run
    twice at once (SKIP LOCKED claims, additive upserts in key order)."""
    total = 0
    while True:
        folded = _compact_batch(batch)
        total += folded
        if folded < batch:
            return total


@transaction.atomic
def _compact_batch(batch: int) -> int:
    allow_change_deletes()
    rows = list(
        QueueCountDelta.objects.select_for_update(skip_locked=True)
        .order_by("pk")
        .values_list("pk", "queue", "unit", "person", "delta")[:batch]
    )
    if not rows:
        return 0
    sums: dict[Key, int] = defaultdict(int)
    for _pk, queue, unit, person, delta in rows:
        sums[(queue, unit, person)] += delta
    QueueCountDelta.objects.filter(pk__in=[r[0] for r in rows]).delete()
    with connection.cursor() as cursor:
        cursor.executemany(
            "INSERT INTO tickets_queuecount (queue, unit, person, tickets) VALUES (%s, %s, %s, %s)"
            " ON CONFLICT (queue, unit, person) DO UPDATE SET tickets = tickets_queuecount.tickets + excluded.tickets",
            [(*key, n) for key, n in sorted(sums.items()) if n],
        )
    QueueCount.objects.filter(tickets=0).delete()
    return len(rows)
