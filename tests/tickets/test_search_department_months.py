"""A department's search read in windows of time looks up the department's words of the window's months
(§12@202611); inside any window it finds exactly what the whole search finds, across the turns of months in UTC and
in local time, and tickets indexed before those words existed are back-filled by the migration."""

from __future__ import annotations

import importlib
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import connection

from tests.factories import Actors, department, receive
from tests.tickets.search_helpers import every_page
from tickets import services
from tickets.models import Ticket
from tickets.search.words import unit_words
from tickets.selectors import ticket_list_search

# Around two turns of month: 2026-10-31 16:00 UTC is 11-01 00:00 in the centre (UTC+8), 11-01 00:00 UTC is 08:00.
TURNS = [
    datetime(2026, 10, 31, 15, 59, tzinfo=UTC),
    datetime(2026, 10, 31, 16, 1, tzinfo=UTC),
    datetime(2026, 10, 31, 23, 59, tzinfo=UTC),
    datetime(2026, 11, 1, 0, 1, tzinfo=UTC),
    datetime(2026, 11, 30, 23, 59, tzinfo=UTC),
    datetime(2026, 12, 1, 0, 0, tzinfo=UTC),
    datetime(2027, 1, 1, 0, 0, tzinfo=UTC),
]


@pytest.fixture
def around_the_turns(actors: Actors) -> list[Ticket]:
    made = []
    for at in TURNS:
        with time_machine.travel(at, tick=False):
            ticket = receive(actors, content="占道经营")
            services.ticket_dispatch(ticket_id=ticket.pk, actor=actors.operator, department_id=department("cgj").pk)
            made.append(ticket)
    with time_machine.travel(TURNS[3], tick=False):  # another department's ticket of the same month stays out
        other = receive(actors, content="占道经营")
        services.ticket_dispatch(ticket_id=other.pk, actor=actors.operator, department_id=department("zjj").pk)
    return made


def test_every_window_finds_what_the_whole_search_finds_inside_it(
    actors: Actors, around_the_turns: list[Ticket]
) -> None:
    bounds = [None, *(at + delta for at in TURNS for delta in (timedelta(0), timedelta(seconds=1)))]
    with time_machine.travel(datetime(2027, 1, 2, tzinfo=UTC), tick=False):
        windows = ticket_list_search(viewer=actors.handler, filters={"q": "占道"}).rows
        everything = {t.pk: t.created_at for t in windows(None, None)}
        assert set(everything) == {t.pk for t in around_the_turns}
        for start in bounds:
            for end in bounds:
                if start is not None and end is not None and end < start:
                    continue
                inside = {
                    pk for pk, at in everything.items() if (start is None or at >= start) and (end is None or at <= end)
                }
                assert {t.pk for t in windows(start, end) if t.pk in inside} == inside, (start, end)


def test_the_words_of_a_window_are_the_units_months_in_utc() -> None:
    window = (datetime(2026, 11, 1, 7, 0, tzinfo=UTC) - timedelta(hours=8), datetime(2027, 1, 1, tzinfo=UTC))
    assert unit_words([3, 4], window) == [
        "§3@202610",
        "§3@202611",
        "§3@202612",
        "§3@202701",
        "§4@202610",
        "§4@202611",
        "§4@202612",
        "§4@202701",
    ]
    assert unit_words([3], (None, datetime(2026, 1, 1, tzinfo=UTC))) == ["§3"]


def test_a_department_pages_through_the_turns_newest_first_and_oldest_first(
    actors: Actors, around_the_turns: list[Ticket]
) -> None:
    newest_first = [t.number for t in sorted(around_the_turns, key=lambda t: (t.created_at, t.pk), reverse=True)]
    with time_machine.travel(datetime(2027, 1, 2, tzinfo=UTC), tick=False):
        numbers, pages = every_page(actors.handler, "q=占道&page_size=2")
        assert numbers == newest_first and pages == 4
        oldest, _pages = every_page(actors.handler, "q=占道&sort=created&page_size=2")
        assert oldest == newest_first[::-1]


def test_the_migration_back_fills_the_month_words_of_tickets_indexed_before_them(
    actors: Actors, around_the_turns: list[Ticket]
) -> None:
    with connection.cursor() as cursor:  # as the index was before migration 0021: the department of all time only
        cursor.execute(
            "UPDATE tickets_ticket SET search_vector ="
            " array_to_tsvector(ARRAY(SELECT w FROM unnest(tsvector_to_array(search_vector)) w WHERE w !~ '^§.*@'))"
        )
    with time_machine.travel(datetime(2027, 1, 2, tzinfo=UTC), tick=False):
        numbers, _pages = every_page(actors.handler, "q=占道&page_size=2")
        assert numbers == []  # the windows ask for the month words, which are missing
        migration = importlib.import_module("tickets.migrations.0021_search_department_months")
        with connection.schema_editor() as editor:
            migration.forward(None, editor)
        numbers, _pages = every_page(actors.handler, "q=占道&page_size=2")
        assert sorted(numbers) == sorted(t.number for t in around_the_turns)
