"""One yellow: the light on a queue and the dashboard's yellow count follow the same rule (past the warning time);
the dashboard's age buckets count working days, like its lists."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.template import Context, Template

from supervision.dashboard import dashboard, overdue_list
from tests.factories import Actors, ticket_in
from tickets import workflow
from tickets.deadlines import BEIJING
from tickets.lights import light_of
from tickets.models import Deadline


def _light_on_a_page(deadline: Deadline) -> str:
    return Template("{% load hotline %}{{ d|light }} {{ d|light_label }}").render(Context({"d": deadline}))


def test_a_clock_before_its_warning_time_is_green_on_the_queue_and_not_yellow_on_the_dashboard(
    actors: Actors, time_machine
) -> None:
    time_machine.move_to(datetime(2026, 11, 18, 10, 0, tzinfo=BEIJING), tick=False)
    ticket = ticket_in(workflow.DISPATCHED, actors)
    response = Deadline.objects.get(ticket=ticket, kind="response")  # due within a working day, but only just begun
    assert light_of(response) == "green"
    assert _light_on_a_page(response) == "success 正常"
    assert dashboard().by_group["response"].yellow == 0
    assert overdue_list({"light": "yellow"})[0] == []


def test_past_its_warning_time_a_clock_is_yellow_on_the_queue_and_on_the_dashboard(
    actors: Actors, time_machine
) -> None:
    time_machine.move_to(datetime(2026, 11, 18, 10, 0, tzinfo=BEIJING), tick=False)
    ticket = ticket_in(workflow.DISPATCHED, actors)
    response = Deadline.objects.get(ticket=ticket, kind="response")
    time_machine.move_to(response.warn_at + timedelta(minutes=1), tick=False)
    assert light_of(response) == "yellow"
    assert _light_on_a_page(response) == "warning 即将到期"
    board = dashboard()
    assert (board.by_group["response"].yellow, board.by_group["response"].red) == (1, 0)
    assert [d.pk for d in overdue_list({"light": "yellow", "group": "response"})[0]] == [response.pk]
    time_machine.move_to(response.due_at, tick=False)
    assert light_of(response) == "red" and _light_on_a_page(response) == "danger 已超期"
    assert (dashboard().by_group["response"].yellow, dashboard().by_group["response"].red) == (0, 1)


def test_the_age_buckets_count_working_days_not_calendar_days(actors: Actors, time_machine) -> None:
    # Dispatched on Thursday 2026-11-19: the response is due at the end of Friday; on Monday morning it is overdue by
    # one working day (Monday), though more than two calendar days have passed.
    time_machine.move_to(datetime(2026, 11, 19, 10, 0, tzinfo=BEIJING), tick=False)
    ticket_in(workflow.DISPATCHED, actors)
    time_machine.move_to(datetime(2026, 11, 23, 10, 0, tzinfo=BEIJING), tick=False)
    assert dashboard().by_bucket == {"1": 1, "3": 0, "7": 0, "more": 0}
    time_machine.move_to(datetime(2026, 11, 26, 10, 0, tzinfo=BEIJING), tick=False)  # Mon..Thu: 4 working days
    assert dashboard().by_bucket == {"1": 0, "3": 0, "7": 1, "more": 0}
    assert len(overdue_list({"light": "red", "bucket": "7"})[0]) == 1


def test_the_workbench_tells_how_late_a_clock_is_in_working_days(actors: Actors, time_machine) -> None:
    from django.test import Client

    time_machine.move_to(datetime(2026, 11, 19, 10, 0, tzinfo=BEIJING), tick=False)  # Thursday
    ticket_in(workflow.DISPATCHED, actors)
    time_machine.move_to(datetime(2026, 11, 24, 10, 0, tzinfo=BEIJING), tick=False)  # Tuesday: Monday and today
    client = Client()
    client.force_login(actors.handler)
    content = client.get("/workbench/", {"tab": "sign"}).content.decode()
    assert 'data-testid="overdue-days">已超期 2 个工作日</span>' in content
    assert "已超期</span>" in content  # the red light's word beside it
