"""Every queue's count is read from the counts the database keeps (tickets/queue_counts.py): the same number as
counting the queue's tickets, whatever changed the owner columns (a service, a bulk update, raw SQL, a deletion),
whether or not the changes have been folded, and the pages read it in one statement however long the queue.
(The life-cycle property test checks the same equality for every person after every random step.)"""

from __future__ import annotations

import re

import pytest
from django.db import DatabaseError, connection, transaction
from django.test.utils import CaptureQueriesContext

from org.models import User
from tests.factories import Actors, department, ticket_in
from tickets import workflow
from tickets.models import QueueCount, QueueCountDelta, Ticket
from tickets.queue_counts import queue_counts, queue_counts_compact
from tickets.work import queue_keys, queue_tickets


def assert_exact() -> None:
    for user in User.objects.all():
        keys = queue_keys(user)
        assert queue_counts(user, keys) == {key: queue_tickets(user, key).count() for key in keys}, user.username


def test_the_counts_follow_every_way_an_owner_changes(actors: Actors) -> None:
    signing = [ticket_in(workflow.DISPATCHED, actors) for _ in range(3)]
    ticket_in(workflow.RECEIVED, actors)  # a centre queue
    assert queue_counts(actors.handler, ["sign"]) == {"sign": 3}
    assert_exact()
    queue_counts_compact()
    assert not QueueCountDelta.objects.exists() and QueueCount.objects.filter(queue="sign").exists()
    assert_exact()
    # a bulk update, as a data fix would make it: two tickets move to another department's queue
    Ticket.objects.filter(pk__in=[t.pk for t in signing[:2]]).update(owner_department=department("zjj"))
    assert queue_counts(actors.handler, ["sign"]) == {"sign": 1}
    assert_exact()
    with connection.cursor() as cursor:  # raw SQL, past the ORM
        cursor.execute("UPDATE tickets_ticket SET owner_queue = 'contact' WHERE id = %s", [signing[2].pk])
    assert queue_counts(actors.handler, ["sign", "contact"]) == {"sign": 0, "contact": 1}
    assert_exact()
    queue_counts_compact()
    assert not QueueCount.objects.filter(tickets=0).exists()  # an emptied queue leaves no row behind
    # a row inserted and deleted as it stands (a generator's load, a cleanup): no service, no event protects it
    bare = Ticket.objects.create(
        number="20261202999999",
        channel="phone",
        kind="complaint",
        content="路灯不亮",
        owner_queue="contact",
        owner_department=department("cgj"),
    )
    assert queue_counts(actors.handler, ["contact"]) == {"contact": 2}
    assert_exact()
    Ticket.objects.filter(pk=bare.pk).delete()
    assert queue_counts(actors.handler, ["contact"]) == {"contact": 1}
    assert_exact()
    queue_counts_compact()
    assert_exact()


def test_a_save_that_writes_the_same_owner_back_writes_no_change(actors: Actors) -> None:
    ticket = ticket_in(workflow.DISPATCHED, actors)
    queue_counts_compact()
    ticket.save()
    Ticket.objects.filter(pk=ticket.pk).update(owner_due_at=None)  # the due time is not part of the count
    assert not QueueCountDelta.objects.exists()
    assert queue_counts(actors.handler, ["sign"]) == {"sign": 1}


def test_the_workbench_reads_every_tab_count_in_one_statement(actors: Actors, client) -> None:
    ticket_in(workflow.DISPATCHED, actors)
    client.force_login(actors.handler)
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/workbench/")
    sql = [q["sql"] for q in queries.captured_queries]
    assert page.status_code == 200 and len([s for s in sql if "FROM tickets_queuecount " in s]) == 1
    assert not [s for s in sql if s.startswith('SELECT COUNT(*) AS "__count" FROM "tickets_ticket"')], sql
    assert re.search(r'data-testid="tab-sign">[^<]*<span class="badge[^"]*">1</span>', page.content.decode())


def test_a_count_change_is_never_edited_and_deleted_only_by_the_compaction(actors: Actors) -> None:
    ticket_in(workflow.DISPATCHED, actors)
    change = QueueCountDelta.objects.first()
    assert change is not None
    with pytest.raises(DatabaseError), transaction.atomic():
        QueueCountDelta.objects.filter(pk=change.pk).update(delta=5)
    if connection.vendor == "postgresql":
        with pytest.raises(DatabaseError), transaction.atomic():
            QueueCountDelta.objects.filter(pk=change.pk).delete()
    assert QueueCountDelta.objects.filter(pk=change.pk, delta=change.delta).exists()
