"""Operator console journeys in headless Chromium; each checks the database, not just the page."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from playwright.sync_api import expect

from org.models import User
from reviews.models import Rectification
from tests.browser.test_login_journey import log_in
from tests.factories import Actors, area, department, ticket_in
from tickets import workflow
from tickets.models import KnowledgeArticle, Ticket

ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"


def focused(page, element_id: str) -> None:
    """Wait until autofocus has put the cursor in the field (typing before that would lose keys)."""
    expect(page.locator(f"#{element_id}")).to_be_focused()


def keyboard_login(page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/")
    focused(page, "id_username")
    page.keyboard.type(username)  # the username field has the focus
    page.keyboard.press("Tab")
    page.keyboard.type("hotline-demo")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/console/")


def test_a_new_call_is_dispatched_with_the_keyboard_only(page, live_server, actors: Actors) -> None:
    keyboard_login(page, live_server, "operator")
    focused(page, "id_caller_phone")
    keys = page.keyboard
    keys.type("13912340000")  # the phone field has the focus
    keys.press("Tab")
    keys.type("赵先生")
    keys.press("Tab")  # kind: 投诉 is preselected
    keys.press("Tab")
    keys.type("zdjy")  # category by pinyin initials
    page.wait_for_selector("#category-options [role=option]:has-text('占道经营')")
    keys.press("Tab")  # the first match is picked
    keys.type("jnq")  # area: 江南区
    page.wait_for_selector("#area-options [role=option]:has-text('江南区')")
    keys.press("Tab")
    expect(page.locator("#id_department")).to_have_value(str(department("jiangnan-cgj").pk))  # proposed
    keys.type("江南区滨江路 20 号")
    keys.press("Tab")
    keys.type("路口早晚高峰有流动摊贩占道经营")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "console-intake.png"), full_page=True)
    keys.press("Control+Enter")
    page.wait_for_selector("[data-testid=last-ticket]")
    ticket = Ticket.objects.get(caller__phone="13912340000")
    assert ticket.status == workflow.DISPATCHED
    assert ticket.category is not None and ticket.category.name == "占道经营"
    assert ticket.lead_department == department("jiangnan-cgj")
    assert ticket.area == area("jn")
    assert ticket.events.filter(verb="dispatch").count() == 1
    assert "已受理并派发至江南区城市管理局" in page.content()

    # 江南区城市管理局's handler finds the call in 待签收, its landing page, and opens it from there.
    User.objects.create_user("jn-handler", "a-long-password", role="handler", department=department("jiangnan-cgj"))
    page.context.clear_cookies()
    log_in(page, live_server, "jn-handler", "a-long-password")
    expect(page.get_by_test_id("tab-sign")).to_contain_text("1")
    page.get_by_test_id("queue").get_by_role("link", name=ticket.number).click()
    page.wait_for_url(f"**/tickets/{ticket.number}/")
    expect(page.locator("body")).to_contain_text("受理 完成")
    expect(page.locator("body")).to_contain_text("待签收")


def test_a_repeat_caller_is_merged(page, live_server, actors: Actors) -> None:
    earlier = ticket_in(workflow.DISPATCHED, actors)  # caller 13812345678, open
    log_in(page, live_server, "operator")
    page.fill("#id_caller_phone", "13812345678")
    page.wait_for_selector(f"[data-testid=history] a:has-text('{earlier.number}')")
    page.fill("#id_content", "又来电催问占道经营的处理进度")
    page.wait_for_selector(f"#merge-{earlier.number}:not(:checked)")  # nothing is chosen for the operator
    page.check(f"#merge-{earlier.number}")
    page.keyboard.press("Alt+m")
    page.wait_for_selector("[data-testid=last-ticket]")
    repeat = Ticket.objects.exclude(pk=earlier.pk).get(caller__phone="13812345678")
    assert repeat.status == workflow.MERGED and repeat.merged_into == earlier


def test_a_consultation_is_answered_from_the_knowledge_base(page, live_server, actors: Actors) -> None:
    article = KnowledgeArticle.objects.create(
        title="小学新生入学需要哪些材料", body="户口簿、房产证明、出生证明。", keywords="入学 材料"
    )
    log_in(page, live_server, "operator")
    page.fill("#id_caller_phone", "13600001234")
    page.select_option("#id_kind", "consultation")
    page.fill("#id_content", "咨询孩子上小学要准备什么材料")
    page.fill("#kb-q", "入学材料")
    page.wait_for_selector(f"#article-{article.pk}:checked")
    page.get_by_test_id("answer").click()
    page.wait_for_selector("[data-testid=last-ticket]")
    ticket = Ticket.objects.get(caller__phone="13600001234")
    assert ticket.status == workflow.ANSWERED and ticket.answered_article == article
    assert ticket.events.get(verb="answer").note == article.body


def test_a_return_is_arbitrated_by_re_dispatching(page, live_server, actors: Actors) -> None:
    ticket = ticket_in(workflow.RETURNED, actors)
    log_in(page, live_server, "reviewer")
    page.get_by_test_id("tab-returns").click()
    page.get_by_role("link", name=ticket.number).click()
    form = page.locator("[data-action=arbitrate_return]")
    form.locator("select[name=arbitrate_return-accept]").select_option("yes")
    form.locator("select[name=arbitrate_return-department]").select_option(str(department("zjj").pk))
    form.get_by_role("button").click()
    page.wait_for_selector("text=已完成：处理退单")
    ticket.refresh_from_db()
    assert ticket.status == workflow.DISPATCHED and ticket.lead_department == department("zjj")


def test_a_reply_is_approved_and_another_sent_back(page, live_server, actors: Actors) -> None:
    good, poor = ticket_in(workflow.REPLIED, actors), ticket_in(workflow.REPLIED, actors)
    log_in(page, live_server, "reviewer")
    page.goto(f"{live_server.url}/tickets/{good.number}/")
    page.locator("[data-action=approve_reply] button").click()
    page.wait_for_selector("text=已完成：审核通过")
    page.goto(f"{live_server.url}/tickets/{poor.number}/")
    page.locator("[data-action=send_back] button").click()  # no reason: refused, nothing changes
    page.wait_for_selector("[data-action=send_back] .text-danger")
    assert Ticket.objects.get(pk=poor.pk).status == workflow.REPLIED
    page.locator("[data-action=send_back] textarea").fill("答复未说明整改时限")
    page.locator("[data-action=send_back] button").click()
    page.wait_for_selector("text=已完成：退回重办")
    assert Ticket.objects.get(pk=good.pk).status == workflow.AWAITING_SURVEY
    assert Ticket.objects.get(pk=poor.pk).status == workflow.IN_PROGRESS
    page.screenshot(path=str(ARTIFACTS / "ticket-detail.png"), full_page=True)


def test_a_bad_callback_rating_opens_a_rectification(page, live_server, actors: Actors) -> None:
    ticket = ticket_in(workflow.AWAITING_SURVEY, actors)
    log_in(page, live_server, "operator")
    page.goto(f"{live_server.url}/centre/queues/?tab=callback")
    row = page.locator("[data-testid=queue] tr", has_text=ticket.number)
    row.locator("select[name=survey-outcome]").select_option("answered")
    row.locator("select[name=survey-rating]").select_option("2")
    row.locator("select[name=survey-solved]").select_option("no")
    row.locator("input[name=survey-comment]").fill("摊贩还在")
    row.get_by_role("button").click()
    page.wait_for_selector("text=已完成：录入回访")
    assert Ticket.objects.get(pk=ticket.pk).status == workflow.RECTIFYING
    rect = Rectification.objects.get(ticket=ticket)
    assert rect.department == department("cgj") and rect.round.rating == 2 and rect.round.comment == "摊贩还在"
