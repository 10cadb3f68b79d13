"""The dashboard read from the maintained open-clock counts (tickets/clock_counts.py) gives exactly the numbers of the
direct aggregate over the clocks, whatever happened to the clocks, whenever it is asked and whether or not the changes
have been folded yet."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.db import DatabaseError, connection, transaction
from django.db.models import Count, F, Q
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from org.calendar import DatabaseCalendar
from org.models import Department
from supervision.dashboard import BUCKETS, GROUPS, Counts, Dashboard, dashboard
from tests.factories import Actors, department, receive, ticket_in
from tickets import workflow
from tickets.clock_counts import deadline_counts_compact
from tickets.deadlines import BEIJING
from tickets.lights import lit_q, overdue_by_more_than
from tickets.models import Deadline, DeadlineCount, DeadlineCountDelta, Ticket
from tickets.services import clocks
from tickets.sweeps import sweep_deadlines


def direct(now: datetime, within: Department | None = None) -> Dashboard:
    """The dashboard as it was computed before the counts: one grouped count over every lit clock."""
    calendar = DatabaseCalendar()

    def bucket_q(key: str) -> Q:
        low, high = BUCKETS[key]
        q = Q(due_at__lte=overdue_by_more_than(low, calendar, now) if low else now)
        return q & Q(due_at__gt=overdue_by_more_than(high, calendar, now)) if high is not None else q

    lit = Deadline.objects.filter(lit_q(now))
    if within is not None:
        lit = lit.filter(department_id__in=Department.objects.filter(path__startswith=within.path).values("pk"))
    rows = lit.values("kind", "department_id").annotate(
        red=Count("pk", filter=Q(due_at__lte=now)),
        yellow=Count("pk", filter=Q(due_at__gt=now)),
        **{f"b{key}": Count("pk", filter=bucket_q(key)) for key in BUCKETS},
    )
    result = Dashboard(by_group={g: Counts() for g in GROUPS}, by_bucket=dict.fromkeys(BUCKETS, 0))
    departments = Department.objects.exclude(kind="centre").order_by("path")
    if within is not None:
        departments = departments.filter(path__startswith=within.path)
    totals: dict[str, Counts] = {}
    paths = {d.pk: d.path for d in departments}
    for values in rows:
        row: dict[str, Any] = dict(values)
        group = next(g for g, kinds in GROUPS.items() if row["kind"] in kinds)
        result.by_group[group].red += row["red"]
        result.by_group[group].yellow += row["yellow"]
        for key in BUCKETS:
            result.by_bucket[key] += row[f"b{key}"]
        path = paths.get(row["department_id"], "")
        for depth in range(1, len(path) // Department.steplen + 1):
            total = totals.setdefault(path[: depth * Department.steplen], Counts())
            total.red += row["red"]
            total.yellow += row["yellow"]
    result.by_department = [(d, totals[d.path]) for d in departments if d.path in totals]
    return result


def assert_same(now: datetime) -> None:
    for within in (None, department("cgj"), department("city")):
        assert dashboard(now, within=within) == direct(now, within), (now, within)


KINDS = ["response", "reply", "survey", "rect_response"]
START = datetime(2026, 12, 1, 9, 0, tzinfo=BEIJING)
steps = st.one_of(
    st.tuples(st.just("open"), st.integers(0, 2), st.sampled_from(KINDS), st.integers(0, 3), st.integers(1, 6)),
    st.tuples(st.just("open_until"), st.integers(0, 2), st.sampled_from(KINDS), st.integers(0, 3), st.integers(-3, 9)),
    st.tuples(st.sampled_from(["meet", "supersede", "pause", "resume", "end", "move", "shift"]), st.integers(0, 2)),
    st.tuples(st.just("delete"), st.integers(0, 2)),
    st.tuples(st.just("due_first"), st.integers(0, 2), st.integers(1, 72)),
    st.tuples(st.sampled_from(["sweep", "compact", "check", "check_past"])),
    st.tuples(st.just("wait"), st.integers(1, 60 * 24 * 12)),  # minutes: up to 12 days (weekends, holidays)
)


def apply(step: tuple[Any, ...], tickets: list[Ticket], units: list[Department | None], now: datetime) -> None:
    """One change to the clocks, the way a service (or a bulk update, or a deletion) makes it."""
    verb = step[0]
    if verb in ("sweep", "compact", "check", "check_past", "wait"):
        actions: dict[str, Callable[[], object]] = {
            "sweep": lambda: sweep_deadlines(now=now),
            "compact": deadline_counts_compact,
            "check": lambda: assert_same(now),
            "check_past": lambda: assert_same(now - timedelta(days=90)),  # before merged days: read from the clocks
            "wait": lambda: None,
        }
        actions[verb]()
        return
    ticket = tickets[step[1]]
    if verb in ("open", "open_until") and Deadline.objects.filter(ticket=ticket, kind=step[2], state="paused").exists():
        clocks.deadlines_end(ticket, at=now, kinds=[step[2]])  # a paused return re-dispatched: its duty ends first
    if verb == "open":  # also a re-dispatch: the open clock of the kind is superseded, a new one opens elsewhere
        clocks.deadline_start(ticket, step[2], department=units[step[3]], started_at=now, working_days=step[4])
    elif verb == "open_until":  # a fixed last day; one before today warns only after it is due
        last = timezone.localdate(now) + timedelta(days=step[4])
        clocks.deadline_start_until(ticket, step[2], department=units[step[3]], started_at=now, last_day=last)
    elif verb == "meet":
        for kind in KINDS:
            clocks.deadline_meet(ticket, kind, at=now)
    elif verb == "supersede":
        clocks.deadline_supersede(ticket, KINDS, at=now)
    elif verb == "pause":
        clocks.deadlines_pause(ticket, at=now, kinds=KINDS, department=None)
    elif verb == "resume":
        clocks.deadlines_resume(ticket, at=now)
    elif verb == "end":
        clocks.deadlines_end(ticket, at=now)
    elif verb == "move":  # a bulk update of the department, as raw SQL or a data fix would make it
        Deadline.objects.filter(ticket=ticket).update(department=units[(step[1] + 1) % len(units)])
    elif verb == "shift":  # a bulk update of the times (the calendar's recomputation, a test's fixture)
        Deadline.objects.filter(ticket=ticket, state="open").update(
            due_at=F("due_at") - timedelta(days=2), warn_at=F("warn_at") - timedelta(hours=30)
        )
    elif verb == "due_first":  # a bulk update that leaves the warning after the due time (as a fixture's could)
        Deadline.objects.filter(ticket=ticket, state="open").update(warn_at=F("due_at") + timedelta(hours=step[2]))
    elif verb == "delete":
        Deadline.objects.filter(ticket=ticket, warned_at=None, breached_at=None).delete()  # no event points at them


@pytest.mark.django_db
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(history=st.lists(steps, min_size=1, max_size=30))
def test_the_counts_equal_the_direct_aggregate_over_random_histories(actors: Actors, history: list) -> None:
    now = START
    units: list[Department | None] = [department(c) for c in ("cgj", "zjj", "city")] + [None]
    with time_machine.travel(now, tick=False):
        tickets = [receive(actors) for _ in range(3)]
    for step in [*history, ("check",), ("compact",), ("check",)]:
        if step[0] == "wait":
            now += timedelta(minutes=step[1])
        with time_machine.travel(now, tick=False):
            apply(step, tickets, units, now)
            assert_same(now)
    assert sum(DeadlineCount.objects.filter(axis="due").values_list("clocks", flat=True)) == (
        Deadline.objects.filter(state="open").count()
    )  # after the last compaction every change is folded


def test_a_dispatched_ticket_is_counted_as_it_turns_yellow_red_and_is_met(actors: Actors, time_machine) -> None:
    ticket = ticket_in(workflow.DISPATCHED, actors)
    response = Deadline.objects.get(ticket=ticket, kind="response")
    time_machine.move_to(response.warn_at + timedelta(minutes=1), tick=False)
    assert dashboard().by_group["response"] == Counts(red=0, yellow=1)
    deadline_counts_compact()
    time_machine.move_to(response.due_at + timedelta(days=9), tick=False)
    sweep_deadlines()
    board = dashboard()
    assert board.by_group["response"] == Counts(red=1, yellow=0) and board == direct(timezone.now())
    deadline_counts_compact()
    clocks.deadline_meet(ticket, "response", at=timezone.now())
    assert dashboard().by_group["response"] == Counts(red=0, yellow=0)
    assert dashboard() == direct(timezone.now())


def test_a_clock_due_before_its_warning_is_neither_red_nor_yellow_until_it_warns(actors: Actors, time_machine) -> None:
    ticket = ticket_in(workflow.DISPATCHED, actors)
    Deadline.objects.filter(ticket=ticket, kind="response").update(warn_at=F("due_at") + timedelta(hours=5))
    response = Deadline.objects.get(ticket=ticket, kind="response")
    time_machine.move_to(response.due_at + timedelta(hours=1), tick=False)
    assert dashboard().by_group["response"] == Counts(red=0, yellow=0) == direct(timezone.now()).by_group["response"]
    time_machine.move_to(response.warn_at, tick=False)
    assert dashboard().by_group["response"] == Counts(red=1, yellow=0) == direct(timezone.now()).by_group["response"]


def test_days_long_past_are_merged_and_a_question_about_them_is_answered_from_the_clocks(
    actors: Actors, time_machine
) -> None:
    ticket_in(workflow.DISPATCHED, actors)
    time_machine.move_to(timezone.now() + timedelta(days=100), tick=False)
    deadline_counts_compact()
    assert DeadlineCount.objects.filter(merged=True).exists()
    assert not DeadlineCountDelta.objects.exists()
    assert dashboard().by_group["response"].red == 1
    past = timezone.now() - timedelta(days=99, hours=20)
    assert dashboard(past) == direct(past)


def test_a_count_change_is_never_edited_and_deleted_only_by_the_compaction(actors: Actors) -> None:
    ticket_in(workflow.DISPATCHED, actors)
    change = DeadlineCountDelta.objects.first()
    assert change is not None
    with pytest.raises(DatabaseError), transaction.atomic():
        DeadlineCountDelta.objects.filter(pk=change.pk).update(delta=5)
    if connection.vendor == "postgresql":
        with pytest.raises(DatabaseError), transaction.atomic():
            DeadlineCountDelta.objects.filter(pk=change.pk).delete()
    assert DeadlineCountDelta.objects.filter(pk=change.pk, delta=change.delta).exists()
