"""Frozen monthly reports: stored once with a SHA-256 chain; verify_reports catches a changed figure."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from reviews import services
from reviews.models import MonthlyReport
from supervision.reports import report_freeze
from supervision.tasks import reports_freeze_last_month
from tests.factories import Actors, ticket_in
from tickets import workflow
from tickets.deadlines import BEIJING

OCTOBER, NOVEMBER = date(2026, 10, 1), date(2026, 11, 1)


@pytest.fixture
def two_months(actors: Actors, time_machine) -> None:
    for month, rating in ((OCTOBER, 5), (NOVEMBER, 2)):
        time_machine.move_to(datetime(month.year, month.month, 20, 10, 0, tzinfo=BEIJING), tick=False)
        ticket = ticket_in(workflow.AWAITING_SURVEY, actors)
        services.ticket_survey(
            ticket_id=ticket.pk, actor=actors.operator, outcome="answered", rating=rating, solved=rating >= 3
        )
    report_freeze(OCTOBER)
    report_freeze(NOVEMBER)


def test_reports_are_chained_and_verify_on_untouched_data(two_months) -> None:
    october, november = MonthlyReport.objects.order_by("month")
    assert november.previous_digest == october.digest and october.previous_digest == ""
    assert october.figures["cgj"]["satisfaction"] == [1, 1]
    assert november.figures["cgj"]["satisfaction"] == [0, 1]
    assert report_freeze(NOVEMBER).digest == november.digest  # frozen: a second run stores nothing new
    call_command("verify_reports")


def test_a_stored_report_cannot_be_updated_through_the_app(two_months) -> None:
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        MonthlyReport.objects.filter(month=OCTOBER).update(figures={})


def test_verify_reports_fails_after_one_figure_is_changed_in_the_database(two_months) -> None:
    with connection.cursor() as cursor:  # what a database user bypassing the app could do
        cursor.execute("ALTER TABLE reviews_monthlyreport DISABLE TRIGGER USER")
        cursor.execute(
            "UPDATE reviews_monthlyreport SET figures = jsonb_set(figures::jsonb, '{cgj,satisfaction}', '[1, 1]')"
            " WHERE month = %s",
            [NOVEMBER],
        )
        cursor.execute("ALTER TABLE reviews_monthlyreport ENABLE TRIGGER USER")
    with pytest.raises(CommandError, match="difference"):
        call_command("verify_reports")


def test_the_beat_task_freezes_last_month_from_its_first_working_day(actors: Actors, time_machine) -> None:
    time_machine.move_to(datetime(2026, 10, 1, 9, 0, tzinfo=BEIJING), tick=False)  # National Day: not yet
    assert reports_freeze_last_month() is None
    time_machine.move_to(datetime(2026, 10, 9, 9, 0, tzinfo=BEIJING), tick=False)  # after the holiday
    assert reports_freeze_last_month() == MonthlyReport.objects.get(month=date(2026, 9, 1)).digest
