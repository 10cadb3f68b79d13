"""The console's complete intake writes its rows together (tickets/services/intake.py): they must be exactly those that
receiving the call and then dispatching it write one by one, whatever the routing gives."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hotline.errors import DomainError
from org.models import Department
from tests.factories import Actors, area, department
from tickets import services
from tickets.models import Caller, Category, Outbox, RoutingRule, Ticket
from tickets.services.ownership import ticket_owner

WRITE = re.compile(r'^(INSERT|UPDATE)(?: INTO)? "?(\w+)')
# A Friday afternoon before a weekend: the clocks' due times cross it.
FRIDAY = datetime(2026, 11, 27, 16, 30, tzinfo=ZoneInfo("Asia/Shanghai"))


def rows(ticket: Ticket) -> dict[str, Any]:
    """Everything an intake wrote, without what differs between two tickets (ids, numbers)."""
    ticket.refresh_from_db()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT ARRAY(SELECT w.lexeme FROM unnest(search_vector) w ORDER BY 1) FROM tickets_ticket WHERE id = %s",
            [ticket.pk],
        )
        (words,) = cursor.fetchone()
    clock_kind = {c.pk: c.kind for c in ticket.deadlines.all()}
    lead = ticket.dispatches.get(role="lead").pk

    def key(text: str) -> str:  # new:<ticket>:<lead dispatch>:<department>: a retried request queues nothing twice
        return text.replace(f":{ticket.pk}:{lead}:", ":T:D:")

    return {
        "ticket": (
            ticket.status,
            ticket.lead_department_id,
            ticket.received_by_id,
            ticket.taken_by_id,
            ticket.created_at,
            (ticket.caller.name, ticket.caller.phone) if ticket.caller else None,
        ),
        "owner": (ticket.owner_queue, ticket.owner_department_id, ticket.owner_user_id, ticket.owner_due_at),
        "owner_since": ticket.owner_since,
        "owner_of": ticket_owner(ticket),
        "words": words,
        "dispatches": sorted(
            (d.department_id, d.role, d.active, d.dispatched_by_id, d.dispatched_at) for d in ticket.dispatches.all()
        ),
        "clocks": sorted(
            (
                c.kind,
                c.state,
                c.department_id,
                c.started_at,
                c.due_at,
                c.warn_at,
                c.provisional,
                c.met_at,
                c.working_days,
                c.extra_working_days,
                c.cause,
            )
            for c in ticket.deadlines.all()
        ),
        "events": [
            (
                e.verb,
                e.actor_id,
                e.from_status,
                e.to_status,
                e.note,
                e.payload,
                clock_kind.get(e.deadline_id or 0),
                e.at,
            )
            for e in ticket.events.order_by("at", "pk")
        ],
        "outbox": sorted(
            (o.kind, o.department_id, o.text.replace(ticket.number, "N"), o.heads_only, o.delivered_at, key(o.key))
            for o in Outbox.objects.filter(ticket=ticket)
        ),
    }


def one_by_one(actors: Actors, fields: dict, lead: int, co: list[int]) -> Ticket:
    ticket = services.ticket_receive(actor=actors.operator, **fields)
    return services.ticket_dispatch(
        ticket_id=ticket.pk, actor=actors.operator, department_id=lead, co_department_ids=co
    )


@pytest.mark.parametrize(
    "routed, co_again",
    [(True, False), (False, False), (False, True)],
    ids=["by the routing table", "to a department chosen by hand", "with the lead and a co-handler named twice"],
)
def test_the_complete_intake_writes_the_rows_of_a_receive_and_a_dispatch(
    actors: Actors, routed: bool, co_again: bool
) -> None:
    category = Category.objects.get(code="zdjy")
    rule, _ = RoutingRule.objects.update_or_create(
        category=category, area=area("jn"), defaults={"lead": department("cgj")}
    )
    rule.co_departments.add(department("zjj"))
    fields = {
        "channel": "phone",
        "kind": "complaint",
        "content": "滨江路夜市占道经营，油烟扰民",
        "category_id": category.pk,
        "area_id": area("jn").pk,
        "address": "江南区滨江路 88 号",
        "caller_name": "王先生",
        "caller_phone": "13812345678",
    }
    co = [department("cgj").pk] + ([department("zjj").pk, department("cgj").pk] if co_again else [])
    chosen = {} if routed else {"department_id": department("zjj").pk, "co_department_ids": co}
    with time_machine.travel(FRIDAY, tick=False):
        together = services.ticket_receive_dispatch(actor=actors.operator, **chosen, **fields)
        lead = department("cgj" if routed else "zjj").pk
        apart = one_by_one(actors, fields, lead, [department("zjj").pk] if routed else co)
    expected = rows(apart)
    assert rows(together) == expected
    assert expected["owner"][:2] == ("sign", lead) and len(expected["dispatches"]) == 2
    assert {c[0] for c in expected["clocks"]} == {"intake", "response", "reply"}


def test_a_refused_complete_intake_writes_nothing(actors: Actors) -> None:
    centre = Department.objects.get(kind=Department.Kind.CENTRE)
    before = (Ticket.objects.count(), Caller.objects.count(), Outbox.objects.count())
    fields: dict[str, Any] = {
        "channel": "phone",
        "kind": "complaint",
        "content": "路灯不亮",
        "caller_phone": "13812345678",
    }
    for chosen, code in [
        ({"department_id": centre.pk}, "invalid_department"),  # the centre does not handle tickets itself
        ({"department_id": department("cgj").pk, "co_department_ids": [centre.pk]}, "invalid_department"),
        ({}, "department_required"),  # no category: no rule to route by
        ({"department_id": department("cgj").pk, "channel": "fax"}, "invalid_choice"),
        ({"department_id": department("cgj").pk, "kind": "Complaint"}, "invalid_choice"),
        ({"department_id": department("cgj").pk, "urgency": ""}, "invalid_choice"),
    ]:
        with pytest.raises(DomainError) as refused:
            services.ticket_receive_dispatch(actor=actors.operator, **(fields | chosen))
        assert refused.value.code == code
    assert (Ticket.objects.count(), Caller.objects.count(), Outbox.objects.count()) == before


def test_the_complete_intake_is_a_few_statements(actors: Actors) -> None:
    """Four round trips between BEGIN and COMMIT: the reference stamp (the small tables it checks against, category,
    area, routing, departments, policies and calendar, are read again only when they changed: org/reference.py), the
    day's number, the ids its rows refer to, and its rows, one INSERT per table sent together (hotline/inserts.py).
    The receive-then-dispatch path took 38 statements."""
    category = Category.objects.get(code="zdjy")
    fields = {"channel": "phone", "kind": "complaint", "content": "路灯不亮", "category_id": category.pk}
    # The day's ticket sequence exists, and the names of the id sequences are known to this process.
    services.ticket_receive_dispatch(actor=actors.operator, caller_phone="13812345670", **fields)
    with CaptureQueriesContext(connection) as queries:
        services.ticket_receive_dispatch(actor=actors.operator, caller_phone="13812345678", **fields)
    trips = [q["sql"] for q in queries.captured_queries if "SAVEPOINT" not in q["sql"]]  # the test's transaction
    assert len(trips) == 4, [sql[:80] for sql in trips]
    stamp, number, ids, inserts = trips
    assert stamp == "SELECT stamp FROM org_referencestamp WHERE id = 1"
    assert re.fullmatch(r"SELECT nextval\('ticket_number_\d{8}'\)", number)
    assert ids.startswith("SELECT ARRAY(SELECT nextval(") and "pg_get_serial_sequence" not in ids
    writes = [WRITE.match(sql) for sql in inserts.split(";\n")]
    assert [" ".join(w.groups()) for w in writes if w] == [
        "INSERT tickets_caller",
        "INSERT tickets_ticket",  # with its words and its departments' (which the dispatch's trigger then finds)
        "INSERT tickets_dispatch",
        "INSERT tickets_deadline",
        "INSERT tickets_ticketevent",
        "INSERT tickets_outbox",
    ]


def test_the_complete_intake_writes_one_version_of_the_ticket_row(actors: Actors) -> None:
    """The ticket goes in with its departments' words, so its dispatches' trigger (migration 0031) updates nothing:
    an UPDATE would write the row's entries in each of the ticket's indexes a second time. The words are those the
    trigger gives a ticket received, then dispatched."""
    category = Category.objects.get(code="zdjy")
    fields = {"channel": "phone", "kind": "complaint", "content": "路灯不亮", "category_id": category.pk}
    co = [department("zjj").pk]

    def ticket_updates() -> int:
        with connection.cursor() as cursor:  # this transaction's own counts
            cursor.execute("SELECT n_tup_upd FROM pg_stat_xact_user_tables WHERE relname = 'tickets_ticket'")
            return int(cursor.fetchone()[0])

    before = ticket_updates()
    together = services.ticket_receive_dispatch(
        actor=actors.operator, department_id=department("cgj").pk, co_department_ids=co, **fields
    )
    assert ticket_updates() == before
    apart = one_by_one(actors, fields, department("cgj").pk, co)
    assert rows(together)["words"] == rows(apart)["words"]
    assert {f"§{department('zjj').pk}", f"§{department('cgj').pk}"} <= set(rows(together)["words"])
