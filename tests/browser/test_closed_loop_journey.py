"""One ticket through every role, each person finding it where their day puts it (never by typing its address):
citizen → operator (console intake) → head (workbench) → child unit → lead handler → reviewer → operator's callback
→ handler's rectification and appeal → head's opinion → reviewer's decision → in nobody's queue, no open clock."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.cache import cache

from tests.browser.test_login_journey import log_in
from tests.factories import Actors, department
from tickets.models import Deadline, Ticket

ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"


def _as(browser, live_server, username: str):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    log_in(page, live_server, username)
    return context, page


def _act(page, verb: str) -> None:
    page.locator(f"[data-action={verb}] button").click()
    page.wait_for_load_state()
    assert page.get_by_text("已完成").first.is_visible(), verb


def _from_tab(page, live_server, where: str, tab: str, number: str) -> None:
    """Open the person's queue page from the top bar, choose the tab, and click the ticket there."""
    page.goto(f"{live_server.url}{where}")
    page.get_by_test_id(f"tab-{tab}").click()
    page.get_by_role("link", name=number).first.click()
    page.wait_for_load_state()


def _shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"closed-loop-{name}.png"), full_page=True)


def test_a_citizens_submission_goes_round_every_role_and_ends_in_nobodys_queue(
    browser, live_server, actors: Actors
) -> None:
    cache.clear()
    citizen = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True)
    page = citizen.new_page()
    page.goto(f"{live_server.url}/submit/")
    page.get_by_label("类型").select_option("complaint")
    page.get_by_label("诉求分类").select_option(label="占道经营")
    page.get_by_label("地址").fill("江南区滨江路 18 号")
    page.get_by_label("诉求内容").fill("滨江路早市摊贩占满人行道，轮椅无法通过")
    page.get_by_label("您的姓名").fill("吴女士")
    page.get_by_label("您的电话").fill("13600007777")
    page.get_by_role("button", name="提交").click()
    number = page.get_by_test_id("number").inner_text()
    citizen.close()

    # The operator finds it in the console's intake list, takes it and dispatches it from the ticket page.
    context, operator = _as(browser, live_server, "operator")
    intake = operator.get_by_test_id("console-intake")
    assert number in intake.inner_text()
    _shot(operator, "1-console-intake")
    intake.locator("li", has_text=number).get_by_test_id("take").click()
    operator.wait_for_load_state()
    operator.locator("[data-action=dispatch] select[name=dispatch-department]").select_option(str(department("cgj").pk))
    _act(operator, "dispatch")
    context.close()

    # The head signs from 待签收 and passes the work to the child unit; only units below are offered.
    context, head = _as(browser, live_server, "head")
    _from_tab(head, live_server, "/workbench/", "sign", number)
    _act(head, "sign")
    options = head.locator("[data-action=sub_dispatch] select[name=sub_dispatch-department] option").all_inner_texts()
    assert [o for o in options if o.strip("- ")] == ["市城市管理综合执法支队"]
    head.locator("[data-action=sub_dispatch] select[name=sub_dispatch-department]").select_option(
        str(department("cgj-zfzd").pk)
    )
    _act(head, "sub_dispatch")
    context.close()

    # The child unit finds it under 上级下派给本单位, contacts the citizen and reports its findings.
    context, unit = _as(browser, live_server, "unit")
    _from_tab(unit, live_server, "/workbench/", "sub_dispatch", number)
    unit.locator("[data-action=contact] select").select_option("visit")
    unit.locator("[data-action=contact] textarea").fill("到现场与市民见面")
    _act(unit, "contact")
    unit.locator("[data-action=unit_reply] textarea").fill("已联合街道清理摊点，设置隔离栏")
    _act(unit, "unit_reply")
    _shot(unit, "2-unit-findings")
    context.close()

    # The lead handler sees the findings on the page (in the timeline) and replies to the centre.
    context, handler = _as(browser, live_server, "handler")
    _from_tab(handler, live_server, "/workbench/", "reply", number)
    assert "已联合街道清理摊点" in handler.content()
    handler.locator("[data-action=reply] select").select_option("solved")
    handler.locator("[data-action=reply] textarea").fill("经支队现场处置，摊点已清理并设置隔离栏")
    _act(handler, "reply")
    context.close()

    # The reviewer approves from 待审核的答复.
    context, reviewer = _as(browser, live_server, "reviewer")
    _from_tab(reviewer, live_server, "/centre/queues/", "review", number)
    _act(reviewer, "approve_reply")
    context.close()

    # The operator's callback from 待回访: the citizen is not satisfied.
    context, operator = _as(browser, live_server, "operator")
    operator.goto(f"{live_server.url}/centre/queues/")
    operator.get_by_test_id("tab-survey").click()
    row = operator.locator("tr", has_text=number)
    row.locator("select[name=survey-outcome]").select_option("answered")
    row.locator("select[name=survey-rating]").select_option("1")
    row.locator("select[name=survey-solved]").select_option("no")
    row.get_by_role("button").click()
    operator.wait_for_load_state()
    context.close()

    # The handler finds the bad review under 待回访核实的差评 and appeals it.
    context, handler = _as(browser, live_server, "handler")
    _from_tab(handler, live_server, "/workbench/", "rect_verify", number)
    handler.locator("[data-action=appeal_apply] textarea").fill("摊点当天已清理，有现场照片为证，评价与事实不符")
    _act(handler, "appeal_apply")
    context.close()

    context, head = _as(browser, live_server, "head")
    _from_tab(head, live_server, "/workbench/", "appeal_opinion", number)
    head.locator("[data-action=appeal_opinion] select").select_option("yes")
    head.locator("[data-action=appeal_opinion] textarea").fill("情况属实，支持复核")
    _act(head, "appeal_opinion")
    context.close()

    context, reviewer = _as(browser, live_server, "reviewer")
    _from_tab(reviewer, live_server, "/centre/queues/", "appeal_decide", number)
    reviewer.locator("[data-action=appeal_decide] select").select_option("yes")
    reviewer.locator("[data-action=appeal_decide] textarea").fill("经核查现场照片，评价不属实")
    _act(reviewer, "appeal_decide")
    _shot(reviewer, "3-closed")
    assert reviewer.get_by_test_id("ticket-status").inner_text() == "已办结归档"
    context.close()

    ticket = Ticket.objects.get(number=number)
    assert ticket.status == "closed" and ticket.owner_queue == ""
    assert not Deadline.objects.filter(ticket=ticket, state__in=["open", "paused"]).exists()
