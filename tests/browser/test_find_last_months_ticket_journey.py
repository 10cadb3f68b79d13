"""A department's handler finds a ticket closed last month by a word of its content, from the top bar's search."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import time_machine
from django.conf import settings
from django.utils import timezone

from tests.browser.test_login_journey import log_in
from tests.factories import Actors, department, receive
from tickets import services
from tickets.models import Ticket

ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"
CONTENT = "A市A2区景蓉华苑小区临街门面油烟扰民，晚上十点后仍在营业，希望有关部门尽快处理。"


def _closed_last_month(actors: Actors) -> Ticket:
    with time_machine.travel(timezone.now() - timedelta(days=35)):
        ticket = receive(actors, content=CONTENT, address="A2区桂花坪街道景蓉华苑")
        tid = ticket.pk
        services.ticket_dispatch(ticket_id=tid, actor=actors.operator, department_id=department("cgj").pk)
        services.ticket_sign(ticket_id=tid, actor=actors.handler)
        services.ticket_contact(ticket_id=tid, actor=actors.handler, channel="phone", note="已电话联系市民")
        services.ticket_reply(ticket_id=tid, actor=actors.handler, outcome="solved", text="已责令商户安装油烟净化器")
        services.ticket_approve_reply(ticket_id=tid, actor=actors.reviewer)
        services.ticket_close(ticket_id=tid, actor=actors.reviewer, note="回访满意")
    return Ticket.objects.get(pk=tid)


def test_the_handler_finds_a_closed_ticket_from_last_month_by_a_word(page, live_server, actors: Actors) -> None:
    ticket = _closed_last_month(actors)
    receive(actors, content="路灯不亮，晚上出行不便")  # another ticket the word must not find
    log_in(page, live_server, "handler")
    page.get_by_test_id("search-link").click()
    page.get_by_text("筛选条件").click()  # the filters are drawn when first opened
    bad_review = page.get_by_test_id("filters").get_by_label("有差评")
    bad_review.wait_for(state="visible", timeout=10_000)
    assert bad_review.is_visible()
    page.get_by_test_id("search-box").fill("油烟")
    page.get_by_test_id("search-submit").click()
    page.wait_for_load_state()
    rows = page.get_by_test_id("results").locator("tbody tr")
    assert rows.count() == 1 and page.get_by_test_id("result-count").inner_text() == "1 张工单"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "search-last-month.png"), full_page=True)
    page.get_by_role("link", name=ticket.number).click()
    assert page.get_by_test_id("ticket-status").inner_text() == "已办结归档"
    assert "已责令商户安装油烟净化器" in page.get_by_test_id("record").inner_text()
    page.screenshot(path=str(ARTIFACTS / "record-closed-ticket.png"), full_page=True)
    page.get_by_test_id("print-link").click()
    assert page.get_by_test_id("print-title").inner_text().replace(" ", "") == "办结单"
    assert "已责令商户安装油烟净化器" in page.get_by_test_id("print-reply").inner_text()
    page.emulate_media(media="print")
    page.screenshot(path=str(ARTIFACTS / "print-completion-sheet.png"), full_page=True)
