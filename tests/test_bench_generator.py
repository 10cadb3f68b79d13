"""The benchmarks' generated centre (bench/generate.py) is what the product itself would have written: its kept counts,
owners, words, copies, numbers, rates, pages, clocks and events agree with the product's own code."""

from __future__ import annotations

import sys
import threading
from collections import Counter
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from org.models import User
from reviews.models import Rectification, SurveyRound
from supervision.dashboard import dashboard
from supervision.rates import month_period, rates_by_department, total
from tests.supervision.test_dashboard_counts import direct
from tickets.models import Deadline, Outbox, Ticket, TicketEvent
from tickets.models.ticket import OPEN_STATUSES
from tickets.numbering import ticket_number_next
from tickets.search.words import document_words, ticket_index, unit_words, words_filter
from tickets.services.notifications import _recipients
from tickets.services.ownership import owner_refresh

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
from generate import generate

TICKETS, PER_DAY = 3000, 40  # 75 days: every month has complete rates, and some tickets are still open


@pytest.fixture
def centre(db: None) -> datetime:
    now = timezone.now()
    assert generate(TICKETS, per_day=PER_DAY, open_tickets=150, now=now, vacuum=False, say=lambda *a, **k: None)
    assert not generate(TICKETS, per_day=PER_DAY, now=now, vacuum=False, say=lambda *a, **k: None)  # idempotent
    return now


def test_the_dashboard_counts_equal_the_aggregate_over_the_open_clocks(centre: datetime) -> None:
    for later in (timedelta(0), timedelta(hours=5), timedelta(days=2)):
        assert dashboard(centre + later) == direct(centre + later), later
    board = dashboard(centre)
    lit = sum(c.red + c.yellow for c in board.by_group.values())
    red = sum(c.red for c in board.by_group.values())
    assert 0 < red < lit < Deadline.objects.filter(state="open").count()  # some lights of each colour, most green


def test_recomputing_the_owners_changes_nothing(centre: datetime) -> None:
    columns = ("pk", "owner_queue", "owner_department_id", "owner_user_id", "owner_due_at", "owner_since")
    before = set(Ticket.objects.values_list(*columns))
    unfinished = list(Ticket.objects.filter(status__in=OPEN_STATUSES).values_list("pk", flat=True))
    assert len(unfinished) > 100
    for pk in unfinished:  # the owners_refresh command's work, ticket by ticket
        owner_refresh(pk)
    assert set(Ticket.objects.values_list(*columns)) == before
    queues = Counter(Ticket.objects.filter(status__in=OPEN_STATUSES).values_list("owner_queue", flat=True))
    assert "" not in queues and {"sign", "reply", "review", "survey", "rect_verify"} <= set(queues), queues
    assert not Ticket.objects.exclude(status__in=OPEN_STATUSES).exclude(owner_queue="").exists()


def test_each_tickets_words_are_those_the_product_writes_and_find_it(centre: datetime) -> None:
    sample = list(Ticket.objects.order_by("?")[:40])
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, search_vector::text FROM tickets_ticket WHERE id = ANY(%s)", [[t.pk for t in sample]]
        )
        generated = dict(cursor.fetchall())
        for ticket in sample:  # the product's own indexer over the same ticket and its dispatches
            ticket_index(ticket.pk, ticket.content, ticket.address)
        cursor.execute(
            "SELECT id, search_vector::text FROM tickets_ticket WHERE id = ANY(%s)", [[t.pk for t in sample]]
        )
        assert dict(cursor.fetchall()) == generated
    ticket = next(t for t in sample if t.lead_department_id)
    word = max(document_words(ticket.content), key=len)
    assert Ticket.objects.filter(pk=ticket.pk).filter(pk__in=words_filter(Ticket.objects.all(), word)).exists()
    assert ticket.lead_department_id is not None
    lead = [ticket.lead_department_id]
    found = words_filter(Ticket.objects.all(), word, units=lead, window=(ticket.created_at, None))
    assert ticket in found
    assert unit_words(lead, (ticket.created_at, None))[0] in generated[ticket.pk]


def test_the_monthly_rates_compute_with_plausible_figures(centre: datetime) -> None:
    month = (timezone.localdate(centre) - timedelta(days=45)).replace(day=1)
    start, end = month_period(month)
    figures = total(rates_by_department(start=start, end=end, as_of=centre))
    received = Ticket.objects.filter(created_at__date__gte=start, created_at__date__lte=end).count()
    for name, low, high in (
        ("on_time_response", 0.85, 1.0),
        ("on_time_completion", 0.85, 1.0),
        ("survey_rate", 0.6, 0.99),
        ("satisfaction", 0.8, 0.98),
        ("resolution", 0.6, 0.99),
        ("real_name_bad_review_callback", 0.7, 1.0),
        ("rectification", 0.7, 1.0),
    ):
        rate = figures[name]
        assert rate.denominator > 0 and low <= rate.numerator / rate.denominator <= high, (name, rate)
        assert rate.denominator <= 2 * received, (name, rate, received)


def test_ticket_pages_render_for_the_supervisor_and_the_owning_handler(centre: datetime) -> None:
    supervisor, handler = Client(), Client()
    supervisor.force_login(User.objects.get(username="supervisor"))
    centre_id = User.objects.get(username="operator").department_id or 0
    statuses = Ticket.objects.values_list("status", flat=True).distinct()
    assert {"closed", "in_progress", "awaiting_survey", "rectifying"} <= set(statuses)
    for status in statuses:
        for ticket in Ticket.objects.filter(status=status).order_by("?")[:3]:
            assert supervisor.get(f"/tickets/{ticket.number}/").status_code == 200, (status, ticket.number)
            # an answered ticket's is the centre's
            department: int = ticket.lead_department_id or ticket.owner_department_id or centre_id
            user = User.objects.filter(department_id=department, role__in=["handler", "reviewer"]).first()
            assert user is not None, ticket.number
            handler.force_login(user)
            assert handler.get(f"/tickets/{ticket.number}/").status_code == 200, (status, ticket.number)


def test_every_ticket_has_its_clocks_events_numbers_and_copies(centre: datetime) -> None:
    tickets = Ticket.objects.count()
    assert tickets == TICKETS
    assert Deadline.objects.filter(kind="intake").values("ticket").distinct().count() == tickets
    dispatched = Ticket.objects.exclude(lead_department=None)
    assert Deadline.objects.filter(kind="response", ticket__in=dispatched).values("ticket").distinct().count() == (
        dispatched.count()
    )
    # each ticket's events chain its statuses, from receipt to the status it is in
    last: dict[int, str] = {}
    for ticket_id, verb, before, after in TicketEvent.objects.order_by("ticket_id", "at", "pk").values_list(
        "ticket_id", "verb", "from_status", "to_status"
    ):
        if ticket_id not in last:
            assert verb == "receive", ticket_id
        else:
            assert before == last[ticket_id], (ticket_id, verb, before, last[ticket_id])
        last[ticket_id] = after
    assert last == dict(Ticket.objects.values_list("pk", "status"))
    # every met, warned and breached clock has its event, and no clock was left for the sweep to mark
    assert not Deadline.objects.filter(state="open", due_at__lte=centre, breached_at=None).exists()
    for mark, verb in (("warned_at", "warned"), ("breached_at", "breached")):
        marked = Deadline.objects.exclude(**{mark: None}).count()
        assert marked and TicketEvent.objects.filter(verb__endswith=f"_{verb}").count() == marked
    # the copies the rates read
    for survey in SurveyRound.objects.select_related("deadline", "ticket"):
        assert survey.deadline is not None
        assert survey.deadline.rated_department_id == survey.department_id
        assert survey.deadline.untrue_at == survey.untrue_at and survey.anonymous == survey.ticket.anonymous
    for rectification in Rectification.objects.select_related("round"):
        assert rectification.untrue_at == rectification.round.untrue_at
        assert rectification.verified_at == rectification.round.verified_at
    assert Rectification.objects.exclude(untrue_at=None).exists()
    # numbers: a day's run from 1 without gaps, and the next intake of today continues it
    days: dict[str, list[int]] = {}
    for number in Ticket.objects.values_list("number", flat=True):
        days.setdefault(number[:8], []).append(int(number[8:]))
    assert all(sorted(n) == list(range(1, len(n) + 1)) for n in days.values())
    today = timezone.localdate(centre)
    issued = len(days.get(f"{today:%Y%m%d}", []))
    assert ticket_number_next(today) == f"{today:%Y%m%d}{issued + 1:06d}"
    assert ticket_number_next(date(2000, 1, 1)) == "20000101000001"


@pytest.mark.django_db(transaction=True)
def test_batches_loaded_side_by_side_number_notify_and_index_as_one_by_one(monkeypatch: pytest.MonkeyPatch) -> None:
    """Several sessions load batches at once (a real centre's size loads in minutes): the days split between batches
    number on without a gap, each batch notifies for its own outbox rows only, and every index and foreign key is
    back, checked."""
    import generate as module

    monkeypatch.setattr(module, "BATCH", 300)  # 7.5 days a batch: half a day in each of two batches
    secondary = _secondary_objects()
    threads: set[str] = set()
    now = timezone.now()

    def say(*args: object, **kwargs: object) -> None:
        if str(args[0]).lstrip().startswith("tickets "):
            threads.add(threading.current_thread().name)

    assert generate(1200, per_day=PER_DAY, open_tickets=60, now=now, build_after=True, workers=2, say=say)
    assert threads == {"generate-0", "generate-1"}  # both sessions loaded batches
    days: dict[str, list[int]] = {}
    for number in Ticket.objects.values_list("number", flat=True):
        days.setdefault(number[:8], []).append(int(number[8:]))
    assert len(days) > 4 and all(sorted(n) == list(range(1, len(n) + 1)) for n in days.values())
    expected: Counter[tuple[object, ...]] = Counter()  # the notifications outbox_deliver writes for each row
    recipients: dict[tuple[int | None, bool], list[int]] = {}
    for row in Outbox.objects.exclude(delivered_at=None):
        cell = (row.department_id, row.heads_only)
        if cell not in recipients:
            recipients[cell] = [user.pk for user in _recipients(row)]
        expected.update(
            (user, row.pk, row.kind, row.ticket_id, row.text, row.delivered_at) for user in recipients[cell]
        )
    with connection.cursor() as cursor:
        cursor.execute("SELECT user_id, outbox_id, kind, ticket_id, text, created_at FROM tickets_notification")
        assert Counter(cursor.fetchall()) == expected and len(expected) > 1000
        cursor.execute(
            "SELECT count(*), count(DISTINCT key) FROM tickets_smsmessage WHERE key LIKE 'survey:%%'"
            " UNION ALL SELECT count(*), count(*) FROM reviews_surveyround WHERE evaluator_phone <> ''"
        )
        (sms, distinct), (rounds, _rounds) = cursor.fetchall()
        assert sms == distinct == rounds > 0
    assert _secondary_objects() == secondary  # every index and constraint rebuilt, and checked
    assert dashboard(now) == direct(now)


def _secondary_objects() -> set[tuple[str, str]]:
    """The bulk tables' indexes and (validated) constraints."""
    from generate import BULK_TABLES

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tablename, indexname FROM pg_indexes WHERE tablename = ANY(%s)"
            " UNION ALL SELECT conrelid::regclass::text, conname || ':' || convalidated FROM pg_constraint"
            " WHERE conrelid::regclass::text = ANY(%s)",
            [BULK_TABLES, BULK_TABLES],
        )
        return set(cursor.fetchall())
