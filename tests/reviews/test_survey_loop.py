"""A ticket through the whole 好差评 loop, and the rates before and after, computed by hand."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.utils import timezone

from org.calendar import DatabaseCalendar
from reviews import services
from reviews.models import Rectification, SurveyRound
from supervision.rates import rates
from tests.factories import Actors, department, ticket_in
from tickets import services as ticket_services
from tickets import workflow
from tickets.deadlines import BEIJING, due_after
from tickets.models import Deadline, Ticket

DAY = date(2026, 11, 24)  # a Tuesday


def rate_values(dept_code: str, as_of: datetime) -> dict[str, tuple[int, int]]:
    """November and December, as of ``as_of``: every clock of the loop is due in them."""
    result = rates(department=department(dept_code), start=date(2026, 11, 1), end=date(2026, 12, 31), as_of=as_of)
    return {name: (r.numerator, r.denominator) for name, r in result.items()}


def test_the_whole_loop_from_a_bad_review_to_a_good_one(
    actors: Actors, time_machine, django_capture_on_commit_callbacks
) -> None:
    time_machine.move_to(datetime(2026, 11, 24, 9, 0, tzinfo=BEIJING), tick=False)
    ticket = ticket_in(workflow.REPLIED, actors)
    with django_capture_on_commit_callbacks(execute=True):
        ticket_services.ticket_approve_reply(ticket_id=ticket.pk, actor=actors.reviewer)
    # Nothing is due yet (response due at the end of the 25th, the survey at the end of the 26th): nothing counts.
    assert set(rate_values("cgj", timezone.now()).values()) == {(0, 0)}
    verbs_before = list(ticket.events.values_list("verb", flat=True))

    time_machine.move_to(datetime(2026, 11, 24, 10, 0, tzinfo=BEIJING), tick=False)
    services.ticket_survey(
        ticket_id=ticket.pk,
        actor=actors.operator,
        outcome="answered",
        rating=2,
        solved=False,
        comment="摊贩第二天又回来了",
    )
    assert Ticket.objects.get(pk=ticket.pk).status == workflow.RECTIFYING
    rect = Rectification.objects.get(ticket=ticket)
    assert rect.department == department("cgj")
    opened = timezone.now()
    clocks = {d.kind: d.due_at for d in Deadline.objects.filter(ticket=ticket, state="open")}
    assert clocks["rect_response"] == due_after(opened, 1, DatabaseCalendar()).at  # 2026-11-26 00:00
    assert clocks["rect_reply"] == due_after(opened, 5, DatabaseCalendar()).at  # 2026-12-02 00:00
    assert clocks["rect_reply"] == datetime(2026, 12, 2, tzinfo=BEIJING)

    time_machine.move_to(datetime(2026, 11, 24, 14, 0, tzinfo=BEIJING), tick=False)
    services.rectification_verify(rectification_id=rect.pk, actor=actors.handler, note="已回访核实，情况属实")
    services.rectification_report(
        rectification_id=rect.pk,
        actor=actors.handler,
        report_type="ledger",
        text="已纳入整改台账，安排每日巡查",
        ledger_due_date=date(2026, 12, 15),
    )
    ledger = Deadline.objects.get(ticket=ticket, kind="ledger")
    assert ledger.due_at == datetime(2026, 12, 16, tzinfo=BEIJING)
    services.rectification_inform(rectification_id=rect.pk, actor=actors.handler, note="已告知市民整改措施")
    assert Ticket.objects.get(pk=ticket.pk).status == workflow.AWAITING_SURVEY
    assert SurveyRound.objects.filter(ticket=ticket).count() == 2

    time_machine.move_to(datetime(2026, 11, 24, 16, 0, tzinfo=BEIJING), tick=False)
    services.ticket_survey(ticket_id=ticket.pk, actor=actors.operator, outcome="answered", rating=4, solved=True)
    assert Ticket.objects.get(pk=ticket.pk).status == workflow.CLOSED

    new_verbs = list(ticket.events.values_list("verb", flat=True))[len(verbs_before) :]
    assert new_verbs == ["survey", "rectification_verify", "rectification_report", "rectification_inform", "survey"]
    # As of 3 December every clock of the loop is due (the rectification report on the 2nd); the survey rate counts
    # the ticket once, though it was surveyed twice.
    assert rate_values("cgj", datetime(2026, 12, 3, tzinfo=BEIJING)) == {
        "on_time_response": (1, 1),
        "on_time_completion": (1, 1),
        "survey_rate": (1, 1),
        "satisfaction": (1, 2),
        "resolution": (1, 2),
        "rectification": (1, 1),
        "real_name_bad_review_callback": (1, 1),
    }
    assert rates(department=department("zjj"), start=DAY, end=DAY)["satisfaction"].denominator == 0


def test_three_unanswered_calls_two_hours_apart_close_the_round_as_unreachable(actors: Actors, time_machine) -> None:
    time_machine.move_to(datetime(2026, 11, 24, 9, 0, tzinfo=BEIJING), tick=False)
    ticket = ticket_in(workflow.AWAITING_SURVEY, actors)
    for outcome in ("no_answer", "refused"):
        services.ticket_survey(ticket_id=ticket.pk, actor=actors.operator, outcome=outcome)
        assert Ticket.objects.get(pk=ticket.pk).status == workflow.AWAITING_SURVEY
        time_machine.shift(timedelta(hours=2))
    services.ticket_survey(ticket_id=ticket.pk, actor=actors.operator, outcome="no_answer")
    assert Ticket.objects.get(pk=ticket.pk).status == workflow.CLOSED
    assert SurveyRound.objects.get(ticket=ticket).state == "unreachable"
    assert ticket.events.filter(verb="survey_attempt").count() == 2
    assert ticket.events.filter(verb="survey", payload__unreachable=True, payload__attempts=3).count() == 1


def test_unanswered_calls_a_minute_apart_count_as_one_try(actors: Actors, time_machine) -> None:
    time_machine.move_to(datetime(2026, 11, 24, 9, 0, tzinfo=BEIJING), tick=False)
    ticket = ticket_in(workflow.AWAITING_SURVEY, actors)
    for _ in range(3):
        services.ticket_survey(ticket_id=ticket.pk, actor=actors.operator, outcome="no_answer")
        time_machine.shift(timedelta(minutes=1))
    assert Ticket.objects.get(pk=ticket.pk).status == workflow.AWAITING_SURVEY
    assert SurveyRound.objects.get(ticket=ticket).state == "open"
    assert [e.payload["counted"] for e in ticket.events.filter(verb="survey_attempt").order_by("pk")] == [1, 1, 1]
    time_machine.shift(timedelta(hours=1, minutes=57))  # two hours after the first counted try: the second
    services.ticket_survey(ticket_id=ticket.pk, actor=actors.operator, outcome="no_answer")
    assert ticket.events.filter(verb="survey_attempt").order_by("-pk")[0].payload["counted"] == 2


def test_the_spacing_between_tries_is_configurable(actors: Actors, time_machine, settings) -> None:
    settings.SURVEY_ATTEMPT_SPACING = timedelta(minutes=30)
    time_machine.move_to(datetime(2026, 11, 24, 9, 0, tzinfo=BEIJING), tick=False)
    ticket = ticket_in(workflow.AWAITING_SURVEY, actors)
    for _ in range(3):
        services.ticket_survey(ticket_id=ticket.pk, actor=actors.operator, outcome="no_answer")
        time_machine.shift(timedelta(minutes=30))
    assert Ticket.objects.get(pk=ticket.pk).status == workflow.CLOSED


def test_a_direct_answer_is_surveyed_too(actors: Actors) -> None:
    ticket = ticket_in(workflow.ANSWERED, actors)
    services.ticket_survey(ticket_id=ticket.pk, actor=actors.operator, outcome="answered", rating=5, solved=True)
    assert Ticket.objects.get(pk=ticket.pk).status == workflow.CLOSED


def test_an_answer_without_a_rating_is_refused_in_chinese_and_records_nothing(actors: Actors) -> None:
    import pytest

    from hotline.errors import DomainError

    ticket = ticket_in(workflow.AWAITING_SURVEY, actors)
    with pytest.raises(DomainError, match="1 到 5"):
        services.ticket_survey(ticket_id=ticket.pk, actor=actors.operator, outcome="answered", solved=True)
    survey = SurveyRound.objects.get(ticket=ticket)
    assert survey.state == "open" and survey.attempts.count() == 0


def test_a_ledger_entry_breaches_unless_the_citizen_is_contacted_before_its_deadline(actors: Actors, time_machine):
    from tickets.sweeps import sweep_deadlines

    time_machine.move_to(datetime(2026, 11, 24, 9, 0, tzinfo=BEIJING), tick=False)
    first, second = ticket_in(workflow.AWAITING_SURVEY, actors), ticket_in(workflow.AWAITING_SURVEY, actors)
    for ticket in (first, second):
        services.ticket_survey(ticket_id=ticket.pk, actor=actors.operator, outcome="answered", rating=1, solved=False)
        rect = Rectification.objects.get(ticket=ticket)
        services.rectification_verify(rectification_id=rect.pk, actor=actors.handler, note="已核实")
        services.rectification_report(
            rectification_id=rect.pk,
            actor=actors.handler,
            report_type="ledger",
            text="限期整改",
            ledger_due_date=date(2026, 11, 30),
        )
    services.rectification_ledger_contact(
        rectification_id=Rectification.objects.get(ticket=first).pk, actor=actors.handler, note="已告知市民需延后完成"
    )
    time_machine.move_to(datetime(2026, 12, 1, 0, 1, tzinfo=BEIJING), tick=False)
    sweep_deadlines(now=timezone.now())
    assert not first.events.filter(verb="ledger_breached").exists()
    assert second.events.filter(verb="ledger_breached").count() == 1
