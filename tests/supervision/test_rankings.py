"""Rollup, rankings with the previous month and consecutive-bottom marks, and the public disclosure page."""

from __future__ import annotations

from datetime import date, datetime

from django.core.management import call_command
from django.test import Client

from org.models import User
from reviews import services
from supervision.models import MonthlyRollup
from supervision.reports import report_freeze
from supervision.rollup import ranking, rollup_month
from tests.factories import Actors, department, receive
from tickets import services as ticket_services
from tickets.deadlines import BEIJING

OCTOBER, NOVEMBER = date(2026, 10, 1), date(2026, 11, 1)


def rated(actors: Actors, dept: str, rating: int) -> None:
    ticket = receive(actors)
    ticket_services.ticket_dispatch(ticket_id=ticket.pk, actor=actors.operator, department_id=department(dept).pk)
    handler_dept = department(dept)
    handler = User.objects.filter(department=handler_dept, role="handler").first() or User.objects.create_user(
        f"h-{dept}", "a-long-password", role="handler", department=handler_dept
    )
    ticket_services.ticket_sign(ticket_id=ticket.pk, actor=handler)
    ticket_services.ticket_contact(ticket_id=ticket.pk, actor=handler, channel="phone")
    ticket_services.ticket_reply(ticket_id=ticket.pk, actor=handler, outcome="solved", text="已处理")
    ticket_services.ticket_approve_reply(ticket_id=ticket.pk, actor=actors.reviewer)
    services.ticket_survey(
        ticket_id=ticket.pk, actor=actors.operator, outcome="answered", rating=rating, solved=rating >= 3
    )


def two_months(actors: Actors, time_machine) -> None:
    for month in (OCTOBER, NOVEMBER):
        time_machine.move_to(datetime(month.year, month.month, 20, 10, 0, tzinfo=BEIJING), tick=False)
        rated(actors, "cgj", 5)
        rated(actors, "zjj", 1)
        rollup_month(month)


def test_departments_are_ranked_with_last_month_and_the_repeat_bottom_is_marked(actors: Actors, time_machine):
    two_months(actors, time_machine)
    rows = {r.department.code: r for r in ranking(NOVEMBER, "satisfaction")}
    assert (rows["cgj"].rank, rows["cgj"].value, rows["cgj"].previous_rank) == (1, 1.0, 1)
    assert (rows["zjj"].rank, rows["zjj"].value, rows["zjj"].previous_value) == (2, 0.0, 0.0)
    assert rows["zjj"].bottom_again and not rows["cgj"].bottom_again
    assert rows["jyj"].rank is None  # nothing rated: not ranked
    client = Client()
    client.force_login(actors.supervisor)
    page = client.get("/supervision/rankings/", {"month": "2026-11", "rate": "satisfaction"}).content.decode()
    assert 'data-testid="bottom-again"' in page and "市住房和城乡建设局" in page


def test_the_rollup_is_rebuilt_by_a_command(actors: Actors, time_machine) -> None:
    two_months(actors, time_machine)
    MonthlyRollup.objects.all().delete()
    call_command("rollup_rebuild", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert MonthlyRollup.objects.get(month=NOVEMBER, department=department("zjj"), rate="satisfaction").denominator == 1


def test_the_public_page_shows_published_figures_and_nothing_personal(actors: Actors, time_machine) -> None:
    two_months(actors, time_machine)
    report_freeze(OCTOBER)
    body = Client().get("/public/reports/").content.decode()
    assert "市城市管理局" in body and "100.0%" in body and "1/1" in body
    for personal in ("13812345678", "138****5678", "小区门口", "王先生"):
        assert personal not in body


def test_the_month_exports_to_excel_from_the_frozen_report(actors: Actors, time_machine) -> None:
    import io

    import openpyxl

    two_months(actors, time_machine)
    report_freeze(OCTOBER)
    client = Client()
    client.force_login(actors.supervisor)
    response = client.get("/supervision/month.xlsx", {"month": "2026-10"})
    sheet = openpyxl.load_workbook(io.BytesIO(response.getvalue())).active
    assert sheet is not None
    rows = {r[0].value: [c.value for c in r] for r in sheet.iter_rows(min_row=2)}
    assert rows["市住房和城乡建设局"][4] == "0.0% (0/1)" and rows["市城市管理局"][4] == "100.0% (1/1)"


def rollup_rows(month: date, rate: str, figures: dict[str, tuple[int, int]]) -> None:
    """The month's cached figures as the rollup would store them (the rates themselves are tested from the rows)."""
    MonthlyRollup.objects.bulk_create(
        MonthlyRollup(month=month, department=department(code), rate=rate, numerator=n, denominator=d)
        for code, (n, d) in figures.items()
    )


TIED = {"cgj": (9, 10), "zjj": (4, 5), "sthjj": (8, 10), "scjgj": (1, 2), "jiangnan": (1, 2), "jyj": (0, 0)}


def test_equal_figures_share_a_rank_and_every_unit_at_the_bottom_twice_is_marked(demo) -> None:
    rollup_rows(OCTOBER, "survey_rate", {**TIED, "zjj": (1, 2)})
    rollup_rows(NOVEMBER, "survey_rate", TIED)
    rows = {r.department.code: r for r in ranking(NOVEMBER, "survey_rate")}
    assert {code: rows[code].rank for code in TIED} == {
        "cgj": 1, "zjj": 2, "sthjj": 2, "scjgj": 4, "jiangnan": 4, "jyj": None,
    }  # fmt: skip
    assert {code for code, r in rows.items() if r.bottom_again} == {"scjgj", "jiangnan"}  # zjj left the bottom
    assert rows["jiangnan"].includes_children and not rows["zjj"].includes_children
    assert rows["cgj"].includes_children  # 市城市管理局 has its 综合执法支队


def test_all_units_equal_is_not_a_bottom(demo) -> None:
    for month in (OCTOBER, NOVEMBER):
        rollup_rows(month, "real_name_bad_review_callback", {"cgj": (1, 1), "zjj": (2, 2)})
    assert not any(r.bottom_again for r in ranking(NOVEMBER, "real_name_bad_review_callback"))


def test_every_rate_can_be_ranked_and_the_page_shows_what_was_counted(actors: Actors) -> None:
    rollup_rows(NOVEMBER, "survey_rate", TIED)
    client = Client()
    client.force_login(actors.supervisor)
    page = client.get("/supervision/rankings/", {"month": "2026-11", "rate": "survey_rate"}).content.decode()
    assert 'value="survey_rate" selected' in page and 'value="real_name_bad_review_callback"' in page
    assert "4/5" in page and "0/0" in page and 'data-testid="subtree"' in page


def test_an_unreadable_month_is_refused_in_chinese_not_replaced_by_another(actors: Actors) -> None:
    client = Client()
    client.force_login(actors.supervisor)
    page = client.get("/supervision/rankings/", {"month": "2026-13"})
    assert page.status_code == 400 and "月份的写法应为 YYYY-MM" in page.content.decode()
    assert client.get("/supervision/month.xlsx", {"month": "2026-13"}).status_code == 400
    client.force_login(actors.head)
    assert client.get("/supervision/unit/", {"month": "十一月"}).status_code == 400
    assert client.get("/supervision/unit/").status_code == 200  # no month: this month
