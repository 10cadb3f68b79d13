"""Frozen monthly reports verify for ever: ordinary late work changes nothing, each kind of tampering is named.

September, October and November 2026 are frozen on the first working day after each (9 October, 2 November,
1 December). In between, October's work goes on late: a breached clock is met, a survey opened in October is answered,
a returned ticket is re-dispatched, and an appeal against an October bad review is upheld.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Callable
from datetime import date, datetime

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.test import Client

from reviews import services as review_services
from supervision.models import MonthlyReport
from supervision.reports import key_id, report_freeze
from supervision.tasks import reports_freeze_last_month
from tests.factories import Actors, department, receive, ticket_in
from tickets import services, workflow
from tickets.deadlines import BEIJING

SEPTEMBER, OCTOBER, NOVEMBER = date(2026, 9, 1), date(2026, 10, 1), date(2026, 11, 1)


def at(month: int, day: int, hour: int = 10) -> datetime:
    return datetime(2026, month, day, hour, 0, tzinfo=BEIJING)


@pytest.fixture
def frozen(actors: Actors, time_machine) -> dict[str, int]:
    time_machine.move_to(at(10, 9), tick=False)
    report_freeze(SEPTEMBER)
    time_machine.move_to(at(10, 20), tick=False)
    breached = receive(actors).pk  # response due at the end of the 21st, nobody answers in October
    services.ticket_dispatch(ticket_id=breached, actor=actors.operator, department_id=department("cgj").pk)
    time_machine.move_to(at(10, 22), tick=False)
    good, bad = ticket_in(workflow.AWAITING_SURVEY, actors), ticket_in(workflow.AWAITING_SURVEY, actors)
    review_services.ticket_survey(ticket_id=good.pk, actor=actors.operator, outcome="answered", rating=5, solved=True)
    review_services.ticket_survey(ticket_id=bad.pk, actor=actors.operator, outcome="answered", rating=1, solved=False)
    appeal = review_services.appeal_apply(ticket_number=bad.number, actor=actors.handler, reasons="评价与事实不符")
    review_services.appeal_opinion(appeal_id=appeal.pk, actor=actors.head, supports=True, note="同意申请复核")
    time_machine.move_to(at(10, 30), tick=False)
    late_survey = ticket_in(workflow.AWAITING_SURVEY, actors)  # survey opened on 30 October
    returned = ticket_in(workflow.RETURNED, actors)
    time_machine.move_to(at(11, 2, 9), tick=False)
    assert reports_freeze_last_month() == MonthlyReport.objects.get(month=OCTOBER).digest

    time_machine.move_to(at(11, 3), tick=False)  # ordinary late work on October's tickets
    services.ticket_sign(ticket_id=breached, actor=actors.handler)
    services.ticket_contact(ticket_id=breached, actor=actors.handler, channel="phone", note="已电话联系市民")
    review_services.ticket_survey(
        ticket_id=late_survey.pk, actor=actors.operator, outcome="answered", rating=4, solved=True
    )
    services.ticket_arbitrate_return(
        ticket_id=returned.pk, actor=actors.reviewer, accept=True, department_id=department("zjj").pk
    )
    time_machine.move_to(at(11, 5), tick=False)
    review_services.appeal_decide(appeal_id=appeal.pk, actor=actors.reviewer, upheld=True, note="经核实，差评不属实")
    time_machine.move_to(at(12, 1), tick=False)
    call_command("reports_freeze", "--month", "2026-11")
    return {"bad": bad.pk}


def test_ordinary_late_work_changes_nothing_and_the_correction_shows_in_the_next_report(frozen, capsys) -> None:
    call_command("verify_reports")
    assert "3 monthly report(s) verified" in capsys.readouterr().out
    september, october, november = MonthlyReport.objects.order_by("month")
    # Response clocks due in October: the two rated tickets' (met at once) and the breached one; the 30th's are due
    # on Monday 2 November, the returned one is paused.
    assert october.figures["cgj"]["satisfaction"] == [1, 2] and october.figures["cgj"]["on_time_response"] == [2, 3]
    assert november.previous_digest == october.digest and october.previous_digest == september.digest
    correction = november.corrections["2026-10"]["cgj"]
    assert correction["satisfaction"] == {"was": [1, 2], "now": [1, 1]}
    assert correction["rectification"] == {"was": [0, 1], "now": [0, 0]}
    assert "on_time_response" not in correction  # the late met clock and the re-dispatch changed nothing
    page = Client().get("/public/reports/", {"month": "2026-11"}).content.decode()
    assert key_id() in page and 'data-testid="corrections"' in page


def test_freezing_again_by_hand_stores_nothing_new(frozen, capsys) -> None:
    before = MonthlyReport.objects.get(month=NOVEMBER).digest
    call_command("reports_freeze", "--month", "2026-11")
    assert "already frozen" in capsys.readouterr().out
    assert MonthlyReport.objects.get(month=NOVEMBER).digest == before and MonthlyReport.objects.count() == 3
    with pytest.raises(CommandError, match="not over"):
        call_command("reports_freeze", "--month", "2026-12")
    with pytest.raises(CommandError, match="YYYY-MM"):
        call_command("reports_freeze", "--month", "November")


def test_a_stored_report_cannot_be_updated_through_the_app(frozen) -> None:
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        MonthlyReport.objects.filter(month=OCTOBER).update(figures={})


def bypassing_the_app(sql: str, params: list | None = None) -> None:
    """What a database user who can write the table (but does not hold the signing key) could do."""
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE reviews_monthlyreport DISABLE TRIGGER USER")
        cursor.execute(sql, params or [])
        cursor.execute("ALTER TABLE reviews_monthlyreport ENABLE TRIGGER USER")


def change_a_figure() -> None:
    bypassing_the_app(
        "UPDATE reviews_monthlyreport SET figures = jsonb_set(figures::jsonb, '{cgj,satisfaction}', '[2, 2]')"
        " WHERE month = %s",
        [OCTOBER],
    )


def recompute_the_digest_without_the_key() -> None:
    """Change a figure and re-sign it the only way possible without the key: with a key of one's own."""
    report = MonthlyReport.objects.get(month=OCTOBER)
    figures = {**report.figures, "cgj": {**report.figures["cgj"], "satisfaction": [2, 2]}}
    body = {
        "month": report.month.isoformat(),
        "as_of": report.as_of.isoformat() if report.as_of else "",
        "figures": figures,
        "corrections": report.corrections,
        "previous": report.previous_digest,
        "key_id": report.key_id,
    }
    canonical = json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()
    digest = hmac.new(b"a key the attacker made up", canonical, hashlib.sha256).hexdigest()
    bypassing_the_app(
        "UPDATE reviews_monthlyreport SET figures = %s::jsonb, digest = %s WHERE month = %s",
        [json.dumps(figures), digest, OCTOBER],
    )


def delete_a_month() -> None:
    bypassing_the_app("DELETE FROM reviews_monthlyreport WHERE month = %s", [OCTOBER])


def delete_the_last_report() -> None:
    bypassing_the_app("DELETE FROM reviews_monthlyreport WHERE month = %s", [NOVEMBER])


def delete_every_report() -> None:
    bypassing_the_app("DELETE FROM reviews_monthlyreport")


@pytest.mark.parametrize(
    ("tamper", "message"),
    [
        (change_a_figure, "2026-10: cgj differs from the rows"),
        (recompute_the_digest_without_the_key, "2026-10: the stored report does not match its signature"),
        (delete_a_month, "2026-10: the monthly report is missing"),
        (delete_the_last_report, "2026-11: the monthly report is missing"),
        (delete_every_report, "2026-11: no monthly report is stored"),
    ],
)
def test_verify_reports_fails_naming_the_month(frozen, capsys, tamper: Callable[[], None], message: str) -> None:
    tamper()
    with pytest.raises(CommandError, match="problem"):
        call_command("verify_reports")
    assert message in capsys.readouterr().err


def test_a_report_signed_with_another_key_fails(frozen, settings, capsys) -> None:
    settings.REPORTS_SIGNING_KEY = "another-key-that-is-long-enough-to-be-used-for-signing"
    with pytest.raises(CommandError):
        call_command("verify_reports")
    assert "2026-09: signed with key" in capsys.readouterr().err


def test_the_beat_task_freezes_last_month_from_its_first_working_day(actors: Actors, time_machine) -> None:
    time_machine.move_to(datetime(2026, 10, 1, 9, 0, tzinfo=BEIJING), tick=False)  # National Day: not yet
    assert reports_freeze_last_month() is None
    time_machine.move_to(datetime(2026, 10, 9, 9, 0, tzinfo=BEIJING), tick=False)  # after the holiday
    assert reports_freeze_last_month() == MonthlyReport.objects.get(month=date(2026, 9, 1)).digest
