"""Open pages refresh themselves: a 督办 reaches the head's open workbench and a citizen's submission the operator's
intake list without a reload, while what the operator types stays; the sound option chimes for both.

The poll interval is a setting (HOTLINE_LIVE_POLL_SECONDS, 15 s in production); here it is 1 s, and the tests only
wait for the page's own poll to bring the change."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from tests.browser.test_login_journey import log_in
from tests.factories import Actors, ticket_in
from tickets import workflow
from tickets.models import Deadline, Notification, Ticket
from tickets.services.notifications import outbox_deliver
from tickets.sweeps import sweep_deadlines

WITHIN_30_S = 30_000  # ms: what the issue promises


@pytest.fixture
def page_as(browser, live_server, settings):
    settings.HOTLINE_LIVE_POLL_SECONDS = 1
    contexts = []

    def open_as(username: str, **options):
        context = browser.new_context(**{"locale": "zh-CN", "viewport": {"width": 1280, "height": 900}, **options})
        contexts.append(context)
        page = context.new_page()
        if username:
            log_in(page, live_server, username)
        return page

    yield open_as
    for context in contexts:
        context.close()


def test_a_supervision_notice_appears_on_the_heads_open_workbench_without_a_reload(
    page_as, live_server, actors: Actors, time_machine
) -> None:
    ticket = ticket_in(workflow.DISPATCHED, actors)
    due = Deadline.objects.get(ticket=ticket, kind="response").due_at
    time_machine.move_to(due + timedelta(hours=2))
    sweep_deadlines()  # the breach is recorded and its notification delivered …
    outbox_deliver()
    head = page_as("head")  # … before the head opens the workbench
    assert head.url.endswith("/workbench/")
    head.get_by_test_id("sound-toggle").check()
    assert head.get_by_test_id("unread-supervise").count() == 0
    head.evaluate("window.openedOnce = true")  # gone if the page were reloaded

    supervisor = page_as("supervisor")
    supervisor.get_by_test_id("red-response").click()
    supervisor.get_by_test_id(f"supervise-{ticket.number}").click()
    supervisor.wait_for_selector("text=已完成：督办单")
    outbox_deliver()  # what the worker does after the commit

    expect(head.get_by_test_id("unread-supervise")).to_have_text("督办单 1", timeout=WITHIN_30_S)
    assert head.evaluate("window.openedOnce") is True
    expect(head.locator("html")).to_have_attribute("data-chimes", "1", timeout=5_000)  # after the settle
    assert head.evaluate("document.documentElement.dataset.chimes") == "1"
    unread = Notification.objects.filter(user=actors.head, read_at=None).count()
    assert head.get_by_test_id("unread").inner_text() == str(unread)


def test_a_ticket_dispatched_meanwhile_appears_in_the_open_workbench_queue(
    page_as, live_server, actors: Actors
) -> None:
    head = page_as("head")
    queue = head.get_by_test_id("queue")
    expect(queue).to_contain_text("暂无待办")
    head.evaluate("window.openedOnce = true")
    ticket = ticket_in(workflow.DISPATCHED, actors)  # the centre dispatches while the head looks at the queue
    expect(queue).to_contain_text(ticket.number, timeout=WITHIN_30_S)
    expect(head.get_by_test_id("tab-sign")).to_contain_text("1")
    assert head.evaluate("window.openedOnce") is True


def test_a_citizens_submission_reaches_the_console_while_the_operator_types(
    page_as, live_server, actors: Actors
) -> None:
    cache.clear()
    operator = page_as("operator")
    operator.get_by_test_id("sound-toggle").check()
    content = operator.locator("#id_content")
    content.click()
    operator.keyboard.type("市民来电反映小区路灯不亮", delay=0)

    citizen = page_as("", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    citizen.goto(f"{live_server.url}/submit/")
    citizen.get_by_label("类型").select_option("complaint")
    citizen.get_by_label("诉求分类").select_option(label="噪音扰民")
    citizen.get_by_label("地址").fill("江北区望江路 9 号")
    citizen.get_by_label("诉求内容").fill("楼下酒吧每晚噪音到凌晨两点")
    citizen.get_by_label("您的电话").fill("13600006666")
    citizen.get_by_role("button", name="提交").click()
    number = citizen.get_by_test_id("number").inner_text()
    assert Ticket.objects.get(number=number).channel == "web"

    expect(operator.get_by_test_id("console-intake")).to_contain_text(number, timeout=WITHIN_30_S)
    operator.keyboard.type("，已三天", delay=0)  # the focus never left the field
    expect(content).to_have_value("市民来电反映小区路灯不亮，已三天")
    # The chime follows the swap once htmx has settled it (htmx:afterSettle), a moment after the number shows.
    expect(operator.locator("html")).to_have_attribute("data-chimes", "1", timeout=5_000)
    assert operator.evaluate("document.documentElement.dataset.chimes") == "1"
