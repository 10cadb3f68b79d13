"""Intake runs in parallel: an intake transaction still open does not hold up the next ticket number."""

from __future__ import annotations

import threading
from datetime import timedelta

from django.db import connection, transaction
from django.utils import timezone

from tickets.models import DailySequence
from tickets.numbering import ticket_number_next, ticket_sequences_ensure


def test_a_second_intake_takes_its_number_while_the_first_is_still_open(transactional_db: None) -> None:
    day = timezone.localdate()
    ticket_sequences_ensure(day)  # what beat does every hour
    numbered, release = threading.Event(), threading.Event()
    numbers: list[str] = []

    def slow_intake() -> None:
        try:
            with transaction.atomic():
                numbers.append(ticket_number_next(day))
                numbered.set()
                release.wait(20)  # the operator is still typing: the transaction stays open
        finally:
            connection.close()

    first = threading.Thread(target=slow_intake)
    first.start()
    assert numbered.wait(20)
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL lock_timeout = '2s'")  # a row lock held by the first intake would fail this
            numbers.append(ticket_number_next(day))
    finally:
        release.set()
        first.join(20)
    assert len(numbers) == 2 and numbers[0] != numbers[1]
    assert all(n.startswith(f"{day:%Y%m%d}") and len(n) == 14 for n in numbers)


def test_a_days_new_sequence_continues_after_the_numbers_the_old_daily_row_issued(db: None) -> None:
    day = timezone.localdate() + timedelta(days=10)  # no sequence made for it yet
    DailySequence.objects.create(day=day, last=41)
    assert ticket_number_next(day) == f"{day:%Y%m%d}000042"
    assert ticket_number_next(day) == f"{day:%Y%m%d}000043"
