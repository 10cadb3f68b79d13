"""axe-core on every staff and public page, reached as each role reaches it: no serious or critical violation of
WCAG 2.1 A/AA (or of axe's best practices). The skip link and the visible focus are checked with the keyboard."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from tests.browser.axe import axe_violations
from tests.browser.test_login_journey import log_in
from tests.factories import Actors, ticket_in
from tests.reviews.conftest import survey_token
from tickets import services, workflow
from tickets.services.notifications import outbox_deliver


@pytest.fixture
def open_as(browser, live_server):
    contexts = []

    def open_page(username: str = "", **options):
        context = browser.new_context(**{"locale": "zh-CN", "viewport": {"width": 1280, "height": 900}, **options})
        contexts.append(context)
        page = context.new_page()
        if username:
            log_in(page, live_server, username)
        return page

    yield open_page
    for context in contexts:
        context.close()


class Audit:
    """Runs axe on each page visited and keeps what it found, so one test reports every page's violations at once."""

    def __init__(self, page) -> None:
        self.page = page
        self.found: list[str] = []
        self.seen: list[str] = []

    def check(self) -> None:
        self.page.wait_for_load_state()
        self.seen.append(self.page.url)
        self.found += axe_violations(self.page)

    def visit(self, url: str) -> None:
        self.page.goto(url)
        self.check()

    def click(self, locator) -> None:
        locator.click()
        self.check()

    def tabs(self) -> None:
        """Every tab of a queue page, by its link."""
        for href in self.page.locator("ul.nav-tabs a.nav-link").evaluate_all("links => links.map(a => a.href)"):
            self.visit(href)

    def assert_clean(self, expected_pages: int) -> None:
        assert len(self.seen) >= expected_pages, self.seen
        assert self.found == [], "\n".join(self.found)


def test_the_operators_pages(open_as, live_server, actors: Actors) -> None:
    ticket = ticket_in(workflow.DISPATCHED, actors)
    audit = Audit(open_as("operator"))
    audit.check()  # the console
    audit.visit(f"{live_server.url}/centre/queues/")
    audit.tabs()
    audit.visit(f"{live_server.url}/tickets/")
    audit.page.get_by_role("searchbox").first.fill(ticket.number)
    audit.page.get_by_role("searchbox").first.press("Enter")
    audit.check()
    audit.click(audit.page.get_by_role("link", name=ticket.number).first)
    audit.click(audit.page.get_by_test_id("print-link"))
    audit.visit(f"{live_server.url}/notifications/")
    audit.assert_clean(8)


def test_the_reviewers_pages(open_as, live_server, actors: Actors) -> None:
    ticket_in(workflow.REPLIED, actors)
    ticket_in(workflow.AWAITING_SURVEY, actors)
    returned = ticket_in(workflow.RETURNED, actors)
    audit = Audit(open_as("reviewer"))
    audit.tabs()
    audit.visit(f"{live_server.url}/centre/queues/?tab=returns")
    audit.click(audit.page.get_by_role("link", name=returned.number))
    audit.assert_clean(8)


def test_the_handlers_and_heads_pages(open_as, live_server, actors: Actors) -> None:
    to_sign = ticket_in(workflow.DISPATCHED, actors)
    in_progress = ticket_in(workflow.IN_PROGRESS, actors)
    outbox_deliver()
    for username in ("handler", "head"):
        audit = Audit(open_as(username))
        audit.check()  # the workbench
        audit.tabs()
        audit.visit(f"{live_server.url}/workbench/?tab=sign")
        audit.click(audit.page.get_by_role("link", name=to_sign.number))
        audit.visit(f"{live_server.url}/workbench/?tab=reply")
        audit.click(audit.page.get_by_role("link", name=in_progress.number))
        audit.visit(f"{live_server.url}/notifications/")
        audit.visit(f"{live_server.url}/console/")  # the operators' console is not theirs: the Chinese 403 page
        assert audit.page.get_by_test_id("error-title").inner_text() == "您无权打开此页面（403）"
        audit.assert_clean(8)


def test_the_supervisors_pages(open_as, live_server, actors: Actors, time_machine) -> None:
    from datetime import timedelta

    from tickets.models import Deadline

    late = ticket_in(workflow.DISPATCHED, actors)
    time_machine.move_to(Deadline.objects.get(ticket=late, kind="response").due_at + timedelta(hours=1))
    ticket_in(workflow.DISPATCHED, actors)
    audit = Audit(open_as("supervisor"))
    audit.check()  # the dashboard
    audit.click(audit.page.get_by_test_id("red-response"))
    audit.click(audit.page.get_by_role("link", name=late.number))
    audit.visit(f"{live_server.url}/supervision/overdue/?light=yellow")
    audit.visit(f"{live_server.url}/supervision/rankings/")
    audit.visit(f"{live_server.url}/supervision/charts/")
    audit.visit(f"{live_server.url}/tickets/")
    audit.assert_clean(7)


def test_the_admins_pages(open_as, live_server, actors: Actors) -> None:
    audit = Audit(open_as("admin"))
    audit.check()  # the admin's index
    for href in audit.page.locator("#content-main a[href$='/']").evaluate_all("links => links.map(a => a.href)"):
        audit.visit(href)  # every list, and every add form
    audit.assert_clean(20)


def test_the_public_pages(open_as, live_server, actors: Actors, settings, django_capture_on_commit_callbacks) -> None:
    from hotline import sms

    cache.clear()
    settings.SMS_BACKEND = "hotline.sms.LocmemBackend"
    sms.outbox.clear()
    replied = ticket_in(workflow.REPLIED, actors)
    with django_capture_on_commit_callbacks(execute=True):
        services.ticket_approve_reply(ticket_id=replied.pk, actor=actors.reviewer)
    token = survey_token(sms.outbox, "13812345678")

    audit = Audit(open_as(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True))
    audit.visit(f"{live_server.url}/accounts/login/")
    audit.visit(f"{live_server.url}/submit/")
    page = audit.page
    page.get_by_label("类型").select_option("complaint")
    page.get_by_label("诉求分类").select_option(label="噪音扰民")
    page.get_by_label("地址").fill("江北区望江路 9 号")
    page.get_by_label("诉求内容").fill("楼下酒吧每晚噪音到凌晨两点")
    page.get_by_label("您的电话").fill("13600006666")
    audit.click(page.get_by_role("button", name="提交"))  # the receipt
    number, code = page.get_by_test_id("number").inner_text(), page.get_by_test_id("code").inner_text()
    audit.click(page.get_by_role("link", name="查询办理进度"))
    page.get_by_label("工单编号").fill(number)
    page.get_by_label("查询码").fill(code)
    audit.click(page.get_by_role("button", name="查询"))
    audit.visit(f"{live_server.url}/mailbox/")
    audit.visit(f"{live_server.url}/public/reports/")
    audit.visit(f"{live_server.url}/s/{token}")
    page.get_by_label("满意", exact=True).check()
    page.get_by_label("已解决", exact=True).check()
    audit.click(page.get_by_role("button", name="提交"))
    audit.visit(f"{live_server.url}/no-such-page/")
    assert page.get_by_test_id("error-title").inner_text() == "页面不存在（404）"
    audit.assert_clean(10)
    sms.outbox.clear()


def test_the_skip_link_is_the_first_stop_and_focus_is_visible(open_as, live_server, actors: Actors) -> None:
    page = open_as("handler")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="跳到正文")
    assert skip.evaluate("link => link === document.activeElement") and skip.is_visible()
    outline = skip.evaluate("link => getComputedStyle(link).outlineStyle + ' ' + getComputedStyle(link).outlineWidth")
    assert outline == "solid 3px"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
