"""An extension asks for a date after the reply deadline and at most N working days beyond it; no pre-chosen yes."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from hotline.errors import DomainError
from tests.factories import Actors, department, receive
from tickets import services
from tickets.deadlines import BEIJING
from tickets.forms import DecideForm


def _in_progress_on(actors: Actors, time_machine):
    time_machine.move_to(datetime(2026, 11, 2, 9, tzinfo=BEIJING), tick=False)  # reply due end of Mon 11-09
    ticket = receive(actors)
    services.ticket_dispatch(ticket_id=ticket.pk, actor=actors.operator, department_id=department("cgj").pk)
    services.ticket_sign(ticket_id=ticket.pk, actor=actors.handler)
    return ticket


def _extend(actors: Actors, ticket, day: date):
    return services.ticket_extend(
        ticket_id=ticket.pk, actor=actors.handler, reason="需协调燃气公司", new_due_date=day, citizen_informed=True
    )


def test_an_extension_may_reach_ten_working_days_past_the_reply_deadline(actors: Actors, time_machine) -> None:
    ticket = _in_progress_on(actors, time_machine)
    assert _extend(actors, ticket, date(2026, 11, 23)).new_due_date == date(2026, 11, 23)  # 10th working day


def test_an_extension_one_working_day_too_far_is_refused_with_the_latest_date(actors: Actors, time_machine) -> None:
    ticket = _in_progress_on(actors, time_machine)
    with pytest.raises(DomainError, match="2026-11-23"):
        _extend(actors, ticket, date(2026, 11, 24))
    assert not ticket.extensions.exists()


def test_the_extension_decision_has_no_pre_selected_answer() -> None:
    form = DecideForm(prefix="decide_extension")
    assert form.fields["approve"].choices[0][0] == ""  # type: ignore[attr-defined]
    assert not DecideForm({"decide_extension-note": ""}, prefix="decide_extension").is_valid()
