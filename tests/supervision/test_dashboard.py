"""The overdue dashboard: red and yellow by clock, age and department with roll-up; keyset-paged lists."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.test import Client
from django.utils import timezone

from supervision.dashboard import dashboard, overdue_list
from tests.factories import Actors, department, ticket_in
from tickets import workflow
from tickets.deadlines import BEIJING
from tickets.models import Deadline


def test_counts_roll_up_the_department_tree(actors: Actors, time_machine) -> None:
    # A Monday: the clocks fall due at Tuesday's end, and two days later (Friday) they are three working days late,
    # whatever day the suite runs (received on a Wednesday, the weekend made it one: the bucket "1", not "3").
    time_machine.move_to(datetime(2026, 11, 16, 9, 0, tzinfo=BEIJING), tick=False)
    tickets = [ticket_in(workflow.DISPATCHED, actors) for _ in range(3)]
    due = Deadline.objects.get(ticket=tickets[0], kind="response").due_at
    time_machine.move_to(due + timedelta(days=2), tick=False)
    board = dashboard()
    assert board.by_group["response"].red == 3
    assert sum(board.by_bucket.values()) == 3 and board.by_bucket["3"] == 3
    totals = {d.code: c.red for d, c in board.by_department}
    assert totals["cgj"] == 3 and totals["city"] == 3 and "zjj" not in totals


def test_the_overdue_list_is_keyset_paged(actors: Actors, time_machine) -> None:
    for _ in range(5):
        ticket_in(workflow.DISPATCHED, actors)
    time_machine.move_to(timezone.now() + timedelta(days=20), tick=False)
    first, cursor = overdue_list({"light": "red", "group": "response"}, page=3)
    assert len(first) == 3 and cursor
    second, end = overdue_list({"light": "red", "group": "response", "after": cursor}, page=3)
    assert len(second) == 2 and end is None
    assert not {d.pk for d in first} & {d.pk for d in second}


def test_only_supervisors_open_the_dashboard(actors: Actors) -> None:
    client = Client()
    client.force_login(actors.handler)
    assert client.get("/supervision/").status_code == 403
    assert client.get("/supervision/overdue/").status_code == 403
    client.force_login(actors.supervisor)
    assert client.get("/supervision/overdue/", {"department": department("cgj").pk}).status_code == 200


def test_the_excel_export_masks_phones_neutralises_formulas_and_is_audited(actors: Actors, time_machine) -> None:
    import io

    import openpyxl

    from org.models import AuditEntry
    from tests.factories import receive
    from tickets import services

    ticket = receive(actors, content='=HYPERLINK("http://evil")')
    services.ticket_dispatch(ticket_id=ticket.pk, actor=actors.operator, department_id=department("cgj").pk)
    time_machine.move_to(timezone.now() + timedelta(days=20), tick=False)
    client = Client()
    client.force_login(actors.supervisor)
    response = client.get("/supervision/overdue.xlsx", {"light": "red"})
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.getvalue())).active
    assert sheet is not None
    rows = [[c.value for c in r] for r in sheet.iter_rows(min_row=2)]
    assert {r[5] for r in rows} == {"138****5678"}
    content = sheet.cell(row=2, column=7)
    assert content.value == '=HYPERLINK("http://evil")' and content.data_type == "s"  # text as typed, not a formula
    assert content.quotePrefix  # Excel keeps it text even when the cell is edited, with no visible apostrophe
    assert sheet.title == "已超期" and sheet.freeze_panes == "A2" and sheet.auto_filter.ref == f"A1:G{len(rows) + 1}"
    assert sheet.column_dimensions["G"].width > sheet.column_dimensions["C"].width
    local = timezone.localtime().strftime("%Y%m%d-%H%M")
    assert response["Content-Disposition"].endswith(f'filename="overdue-{local}.xlsx"')
    assert AuditEntry.objects.filter(action="export", actor=actors.supervisor).count() == 1


def test_the_yellow_list_exports_as_due_soon_without_an_overdue_column(actors: Actors, time_machine) -> None:
    import io

    import openpyxl

    ticket = ticket_in(workflow.DISPATCHED, actors)
    due = ticket.deadlines.get(kind="response").due_at
    time_machine.move_to(due - timedelta(hours=3), tick=False)
    client = Client()
    client.force_login(actors.supervisor)
    response = client.get("/supervision/overdue.xlsx", {"light": "yellow"})
    sheet = openpyxl.load_workbook(io.BytesIO(response.getvalue())).active
    assert sheet is not None and sheet.title == "即将到期"
    header = [c.value for c in next(sheet.iter_rows(max_row=1))]
    assert "超期（工作日）" not in header and len(header) == 6
    assert sheet.cell(row=2, column=1).value == ticket.number
    assert "due-soon-" in response["Content-Disposition"]


def test_a_list_filter_it_does_not_know_is_refused_in_chinese_and_lists_nothing(actors: Actors, time_machine) -> None:
    """An unknown light listed the yellow clocks, an unknown clock or age every clock, a bad page link the first page,
    and a department that is not a number failed with a 500: each is now refused with its reason, page and export."""
    ticket = ticket_in(workflow.DISPATCHED, actors)
    time_machine.move_to(timezone.now() + timedelta(days=20), tick=False)
    client = Client()
    client.force_login(actors.supervisor)
    listed = client.get("/supervision/overdue/", {"light": "red", "group": "response"})
    assert listed.status_code == 200 and ticket.number in listed.content.decode()
    for bad, reason in (
        ({"light": "purple"}, "purple 不在可用的选项中"),
        ({"group": "nothing"}, "时限: 选择一个有效的选项"),
        ({"bucket": "99"}, "已超期: 选择一个有效的选项"),
        ({"department": "abc"}, "单位: 选择一个有效的选项"),
        ({"department": "999999"}, "单位: 选择一个有效的选项"),
        ({"after": "2026-13-45T00:00:00_1"}, "分页链接无效"),
        ({"after": "nonsense"}, "分页链接无效"),
    ):
        for path in ("/supervision/overdue/", "/supervision/overdue.xlsx"):
            answer = client.get(path, bad)
            body = answer.content.decode()
            assert answer.status_code == 400, (path, bad)
            assert reason in body and 'data-testid="filter-error"' in body, (path, bad, body[-2000:])
            assert ticket.number not in body and "暂无超期" not in body  # not "nothing is overdue": nothing was listed
