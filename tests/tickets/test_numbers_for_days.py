"""Numbers for many days at once (a history import): each day's own sequence, after the numbers already issued."""

from __future__ import annotations

from datetime import date

import pytest

from tickets.numbering import ticket_number_next, ticket_numbers_for_days


@pytest.mark.django_db
def test_numbers_for_many_days_follow_each_days_numbers_already_issued() -> None:
    march_1, march_2 = date(2024, 3, 1), date(2024, 3, 2)
    issued = ticket_number_next(march_1)
    numbers = ticket_numbers_for_days([march_1, march_2, march_1])
    assert [n[:8] for n in numbers] == ["20240301", "20240302", "20240301"]
    assert len(set(numbers)) == 3 and issued < numbers[0] < numbers[2]
    assert ticket_number_next(march_2) > numbers[1]
