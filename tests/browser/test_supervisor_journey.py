"""The supervisor sees an overdue ticket appear after the sweep, clicks through, issues a 督办; the head sees it."""

from __future__ import annotations

import io
from datetime import timedelta

import openpyxl
import pytest
from django.utils import timezone

from tests.browser.test_login_journey import log_in
from tests.factories import Actors, ticket_in
from tickets import workflow
from tickets.models import Deadline, SupervisionNotice
from tickets.services.notifications import outbox_deliver
from tickets.sweeps import sweep_deadlines


@pytest.fixture
def page_as(browser, live_server):
    contexts = []

    def open_as(username: str):
        context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
        contexts.append(context)
        page = context.new_page()
        log_in(page, live_server, username)
        return page

    yield open_as
    for context in contexts:
        context.close()


def test_an_overdue_ticket_is_supervised_from_the_dashboard(page_as, live_server, actors: Actors, time_machine):
    ticket = ticket_in(workflow.DISPATCHED, actors)
    supervisor = page_as("supervisor")
    assert supervisor.get_by_test_id("red-response").inner_text() == "0"
    due = Deadline.objects.get(ticket=ticket, kind="response").due_at
    time_machine.move_to(due + timedelta(hours=2))
    sweep_deadlines(now=timezone.now())
    supervisor = page_as("supervisor")  # two days later the idle session has ended: log in again
    assert supervisor.get_by_test_id("red-response").inner_text() == "1"
    supervisor.get_by_test_id("red-response").click()
    row = supervisor.get_by_test_id("overdue-list").locator("tr", has_text=ticket.number)
    assert "市城市管理局" in row.inner_text()
    with supervisor.expect_download() as download:  # the list as Excel, read back with openpyxl
        supervisor.get_by_test_id("export").click()
    sheet = openpyxl.load_workbook(io.BytesIO(download.value.path().read_bytes())).active
    assert sheet is not None
    cells = [[c.value for c in r] for r in sheet.iter_rows(min_row=2)]
    assert [ticket.number, "市城市管理局", "响应"] == cells[0][:3] and cells[0][5] == "138****5678"
    row.get_by_test_id(f"supervise-{ticket.number}").click()
    supervisor.wait_for_selector("text=已完成：督办单")
    notice = SupervisionNotice.objects.get(ticket=ticket, issued_by=actors.supervisor)
    assert notice.kind == "supervise" and notice.department == ticket.lead_department

    outbox_deliver()  # what the worker does after the commit
    head = page_as("head")
    head.goto(f"{live_server.url}/notifications/")
    head.get_by_role("link", name=f"工单 {ticket.number} 督办").click()
    assert head.get_by_test_id("ticket-number").inner_text().endswith(ticket.number)
