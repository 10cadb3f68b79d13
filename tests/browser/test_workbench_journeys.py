"""Department workbench journeys in headless Chromium; each checks the database."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from reviews import services as review_services
from reviews.models import Rectification, SurveyRound
from tests.browser.test_login_journey import log_in
from tests.factories import Actors, ticket_in
from tickets import workflow
from tickets.models import Attachment, Deadline, Ticket

ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)


@pytest.fixture
def as_user(browser, live_server):
    """A logged-in page per user; every browser context is closed at the end of the test."""
    contexts = []

    def open_as(_browser, _live_server, username: str):
        context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
        contexts.append(context)
        page = context.new_page()
        log_in(page, live_server, username)
        return page

    yield open_as
    for context in contexts:
        context.close()


def submit(page, verb: str) -> None:
    page.locator(f"[data-action={verb}] button").click()
    page.wait_for_load_state()


def test_sign_and_contact(as_user, browser, live_server, actors: Actors) -> None:
    ticket = ticket_in(workflow.DISPATCHED, actors)
    page = as_user(browser, live_server, "handler")
    page.get_by_role("link", name=ticket.number).click()  # from the workbench's 待签收 tab
    submit(page, "sign")
    page.locator("[data-action=contact] select").select_option("phone")
    page.locator("[data-action=contact] textarea").fill("已电话联系市民，约定明早到现场")
    submit(page, "contact")
    assert page.get_by_test_id("ticket-status").inner_text() == "办理中"
    response = Deadline.objects.get(ticket=ticket, kind="response")
    assert response.state == "met" and response.met_on_time
    assert ticket.contacts.get().note == "已电话联系市民，约定明早到现场"


def test_a_reply_with_an_attachment(as_user, browser, live_server, actors: Actors, tmp_path) -> None:
    ticket = ticket_in(workflow.IN_PROGRESS, actors)
    photo = tmp_path / "现场照片.png"
    photo.write_bytes(PNG)
    page = as_user(browser, live_server, "handler")
    page.goto(f"{live_server.url}/tickets/{ticket.number}/")
    form = page.locator("[data-action=reply]")
    form.locator("select").select_option("solved")
    form.locator("textarea").fill("已清理占道摊点，并安排每日巡查")
    form.locator("input[type=file]:not([capture])").set_input_files(str(photo))
    submit(page, "reply")
    assert page.get_by_test_id("ticket-status").inner_text() == "待审核"
    attachment = Attachment.objects.get(ticket=ticket)
    assert attachment.name == "现场照片.png" and attachment.content_type == "image/png"
    assert page.get_by_test_id("attachments").get_by_role("link", name="现场照片.png").is_visible()


def test_an_approved_extension_moves_the_reply_deadline_on_the_page(
    as_user, browser, live_server, actors: Actors
) -> None:
    ticket = ticket_in(workflow.IN_PROGRESS, actors)
    new_date = timezone.localdate() + timedelta(days=12)  # within 10 working days past the reply deadline
    handler = as_user(browser, live_server, "handler")
    handler.goto(f"{live_server.url}/tickets/{ticket.number}/")
    form = handler.locator("[data-action=extend]")
    form.locator("textarea").fill("需协调住建部门共同处理")
    form.locator("input[type=date]").fill(new_date.isoformat())
    form.locator("input[type=checkbox]").check()
    submit(handler, "extend")
    reviewer = as_user(browser, live_server, "reviewer")
    reviewer.goto(f"{live_server.url}/tickets/{ticket.number}/")
    reviewer.locator("[data-action=decide_extension] select").select_option("yes")
    submit(reviewer, "decide_extension")
    handler.reload()
    moved = f"{new_date + timedelta(days=1):%Y-%m-%d} 00:00"
    assert handler.get_by_test_id("due-reply-open").inner_text().startswith(moved)
    due = Deadline.objects.get(ticket=ticket, kind="reply", state="open").due_at
    assert timezone.localtime(due).date() == new_date + timedelta(days=1)
    handler.screenshot(path=str(ARTIFACTS / "workbench-extension.png"), full_page=True)


def test_a_return_is_refused_after_the_response_deadline(
    as_user, browser, live_server, actors: Actors, time_machine
) -> None:
    ticket = ticket_in(workflow.DISPATCHED, actors)
    due = Deadline.objects.get(ticket=ticket, kind="response").due_at
    time_machine.move_to(due + timedelta(hours=1))
    page = as_user(browser, live_server, "handler")
    page.goto(f"{live_server.url}/tickets/{ticket.number}/")
    assert "已超过响应时限，不能再退单" in page.locator("[data-late=return]").inner_text()
    assert page.locator("[data-action=return]").count() == 0
    assert Ticket.objects.get(pk=ticket.pk).status == workflow.DISPATCHED


def test_a_rectification_is_handled_to_a_ledger_entry(as_user, browser, live_server, actors: Actors) -> None:
    ticket = ticket_in(workflow.AWAITING_SURVEY, actors)
    review_services.ticket_survey(
        ticket_id=ticket.pk, actor=actors.operator, outcome="answered", rating=2, solved=False, comment="问题反复出现"
    )
    page = as_user(browser, live_server, "handler")
    page.goto(f"{live_server.url}/workbench/?tab=rect")
    page.get_by_role("link", name=ticket.number).click()
    page.locator("[data-action=rect_verify] textarea").fill("已回访核实，情况属实")
    submit(page, "rect_verify")
    form = page.locator("[data-action=rect_report]")
    form.locator("select").select_option("ledger")
    form.locator("textarea").fill("纳入整改台账，安排执法队每日巡查")
    ledger_day = date.today() + timedelta(days=20)
    form.locator("input[type=date]").fill(ledger_day.isoformat())
    submit(page, "rect_report")
    rect = Rectification.objects.get(ticket=ticket)
    assert rect.state == "reported" and rect.report_type == "ledger" and rect.ledger_due_date == ledger_day
    assert Deadline.objects.filter(ticket=ticket, kind="ledger", state="open").exists()
    assert page.locator("[data-action=rect_inform]").count() == 1


def test_an_appeal_goes_through_the_head_to_the_centre(as_user, browser, live_server, actors: Actors) -> None:
    ticket = ticket_in(workflow.AWAITING_SURVEY, actors)
    review_services.ticket_survey(
        ticket_id=ticket.pk, actor=actors.operator, outcome="answered", rating=1, solved=False
    )
    handler = as_user(browser, live_server, "handler")
    handler.goto(f"{live_server.url}/tickets/{ticket.number}/")
    handler.locator("[data-action=appeal_apply] textarea").fill("当天已处理完毕，市民评价与事实不符")
    submit(handler, "appeal_apply")
    head = as_user(browser, live_server, "head")
    head.goto(f"{live_server.url}/workbench/")
    head.get_by_test_id("tab-appeal_opinion").click()
    head.get_by_role("link", name=ticket.number).click()
    head.locator("[data-action=appeal_opinion] select").select_option("yes")
    head.locator("[data-action=appeal_opinion] textarea").fill("情况属实，同意复核")
    submit(head, "appeal_opinion")
    reviewer = as_user(browser, live_server, "reviewer")
    reviewer.goto(f"{live_server.url}/centre/queues/")
    reviewer.get_by_test_id("tab-appeal_decide").click()
    reviewer.get_by_role("link", name=ticket.number).click()
    reviewer.locator("[data-action=appeal_decide] select").select_option("yes")
    reviewer.locator("[data-action=appeal_decide] textarea").fill("经核实差评不属实")
    submit(reviewer, "appeal_decide")
    assert SurveyRound.objects.get(ticket=ticket).untrue
    assert ticket.appeals.get().state == "upheld"
    ticket.refresh_from_db()
    assert ticket.status == workflow.CLOSED and not ticket.owner_queue  # the upheld appeal ended the rectification
