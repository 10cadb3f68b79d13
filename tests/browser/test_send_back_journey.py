"""The reviewer reads the reply and sends it back with a reason; the handler finds the ticket under 退回重办, reads
the reason beside their earlier reply, and replies again. Nobody types a ticket's address."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

from tests.browser.test_login_journey import log_in
from tests.factories import Actors, ticket_in
from tickets import workflow
from tickets.models import Reply

ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"
REASON = "答复未说明摊点清理后的长效管理措施，请补充后重新答复"


def _open(browser, live_server, username: str):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 1000})
    page = context.new_page()
    log_in(page, live_server, username)
    return context, page


def test_a_reply_sent_back_with_a_reason_is_reworked_by_the_handler(browser, live_server, actors: Actors) -> None:
    ticket = ticket_in(workflow.REPLIED, actors)
    ARTIFACTS.mkdir(exist_ok=True)
    context, page = _open(browser, live_server, "reviewer")
    page.get_by_test_id("tab-review").click()
    page.get_by_role("link", name=ticket.number).click()
    reply = page.locator("[data-entry=reply]")
    assert "已清理占道摊点" in reply.inner_text()  # read before deciding
    page.locator("[data-action=send_back] textarea").fill(REASON)
    page.screenshot(path=str(ARTIFACTS / "record-reviewer-reads-reply.png"), full_page=True)
    page.locator("[data-action=send_back] button").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("ticket-status").inner_text() == "办理中"
    context.close()

    context, page = _open(browser, live_server, "handler")
    page.get_by_test_id("tab-rework").click()
    page.get_by_role("link", name=ticket.number).click()
    record = page.get_by_test_id("record").inner_text()
    assert REASON in record and "已清理占道摊点" in record
    page.screenshot(path=str(ARTIFACTS / "record-handler-sees-reason.png"), full_page=True)
    form = page.locator("[data-action=reply]")
    form.locator("select").select_option("solved")
    form.locator("textarea").fill("已清理占道摊点，并建立每日巡查和商户约谈机制")
    form.locator("button").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("ticket-status").inner_text() == "待审核"
    assert "答复（第 2 版）" in page.get_by_test_id("record").inner_text()
    context.close()
    versions = list(Reply.objects.filter(ticket=ticket).order_by("submitted_at").values_list("state", "review_note"))
    assert versions == [("sent_back", REASON), ("pending", "")]
