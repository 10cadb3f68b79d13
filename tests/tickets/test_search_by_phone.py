"""A phone number in any of five writings finds the same caller's tickets."""

from __future__ import annotations

import pytest

from tests.factories import Actors, receive
from tests.tickets.search_helpers import found

WRITINGS = ["13812345678", "138 1234 5678", "+86 138-1234-5678", "１３８１２３４５６７８", "(+86) 138-1234 5678"]


@pytest.mark.parametrize("written", WRITINGS)
def test_each_writing_finds_both_tickets_of_the_caller(actors: Actors, written: str) -> None:
    first, second = receive(actors), receive(actors, caller_phone="+86 13812345678", content="噪音扰民")
    receive(actors, caller_phone="13912345678")
    assert sorted(found(actors.operator, q=written)) == sorted([first.number, second.number])
