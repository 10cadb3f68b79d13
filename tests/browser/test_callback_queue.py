"""The operator's callback queue for a headset (issue 13, item 3), in headless Chromium against the database: the
number masked until one click reveals it (audited) and dials it, the reply and department beside the rating buttons,
save goes to the next callback, and unanswered tries count only two hours apart before "unreachable"."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from org.models import AuditEntry
from reviews.models import SurveyRound
from tests.browser.test_login_journey import log_in
from tests.factories import Actors, receive, ticket_in
from tickets import workflow
from tickets.models import Ticket

ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"


def test_an_operator_rates_one_callback_and_lands_on_the_next(page, live_server, actors: Actors) -> None:
    first = ticket_in(workflow.AWAITING_SURVEY, actors)
    second = ticket_in(workflow.AWAITING_SURVEY, actors)
    log_in(page, live_server, "operator")
    page.goto(f"{live_server.url}/centre/queues/")
    page.get_by_test_id("callbacks-link").click()
    page.wait_for_load_state("load")  # the page's keys (static/js/callbacks.js) are bound
    card = page.get_by_test_id("callback")
    assert card.get_attribute("data-number") == first.number
    assert page.get_by_test_id("masked-phone").inner_text() == "138****5678"
    assert "13812345678" not in page.content()
    assert page.get_by_test_id("callback-department").inner_text() == "市城市管理局"
    assert page.get_by_test_id("callback-reply").inner_text() == "已清理占道摊点"
    page.get_by_test_id("reveal-dial").click()  # one click: the number is shown and dialled
    page.get_by_test_id("dial").wait_for()
    assert page.get_by_test_id("dial").get_attribute("href") == "tel:13812345678"
    assert AuditEntry.objects.filter(
        actor=actors.operator, action="caller_phone_view", target=f"ticket:{first.number}"
    ).exists()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "callback-queue.png"), full_page=True)
    page.keyboard.press("4")  # 满意
    page.keyboard.press("y")  # solved
    page.fill("#callback-comment", "处理及时")
    with page.expect_navigation():
        page.keyboard.press("Alt+s")
    assert page.url.endswith("/centre/callbacks/"), page.content()[:3000]
    page.wait_for_selector(f"[data-testid=callback][data-number='{second.number}']")  # the next callback
    survey = SurveyRound.objects.get(ticket=first)
    assert (survey.state, survey.rating, survey.solved, survey.comment) == ("answered", 4, True, "处理及时")
    assert Ticket.objects.get(pk=first.pk).status == workflow.CLOSED


def test_a_rating_left_out_keeps_the_callback_on_screen(page, live_server, actors: Actors) -> None:
    ticket = ticket_in(workflow.AWAITING_SURVEY, actors)
    log_in(page, live_server, "operator")
    page.goto(f"{live_server.url}/centre/callbacks/")
    page.fill("#callback-comment", "市民说还可以")
    page.get_by_test_id("save-answer").click()  # no rating chosen: refused, nothing recorded
    page.get_by_test_id("callback-error").wait_for()
    assert page.get_by_test_id("callback").get_attribute("data-number") == ticket.number
    assert page.input_value("#callback-comment") == "市民说还可以"
    assert SurveyRound.objects.get(ticket=ticket).attempts.count() == 0


def test_unanswered_tries_two_hours_apart_close_the_ticket_as_unreachable(
    page, live_server, actors: Actors, time_machine
) -> None:
    time_machine.move_to(timezone.now(), tick=True)
    ticket = ticket_in(workflow.AWAITING_SURVEY, actors)
    log_in(page, live_server, "operator")
    page.goto(f"{live_server.url}/centre/callbacks/")
    for attempt in (1, 2, 3):
        page.get_by_test_id("no-answer").click()
        if attempt < 3:
            page.wait_for_selector(f"text=未接通（已计 {attempt} 次，共 3 次）")
            page.get_by_test_id("no-callback").wait_for()  # not offered again before two hours
            assert page.get_by_test_id("later").count() == 1
            for _ in range(5):  # two hours pass, the operator working on (the session stays alive)
                time_machine.shift(timedelta(minutes=25))
                page.reload()
            page.wait_for_selector(f"[data-testid=callback][data-number='{ticket.number}']")
    page.wait_for_selector(f"text=工单 {ticket.number} 已按无法联系办结")
    survey = SurveyRound.objects.get(ticket=ticket)
    assert survey.state == SurveyRound.State.UNREACHABLE and survey.attempts.count() == 3
    assert Ticket.objects.get(pk=ticket.pk).status == workflow.CLOSED
    page.goto(f"{live_server.url}/tickets/?q={ticket.number}")
    page.get_by_role("link", name=ticket.number).first.click()
    assert page.get_by_text("无法联系市民，未评价办结").count() >= 1  # the unreachable outcome, shown as such


def test_the_reveal_is_refused_to_a_department(page, live_server, actors: Actors) -> None:
    ticket = receive(actors)
    log_in(page, live_server, "handler")
    token = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    dial = f"{live_server.url}/centre/callbacks/{ticket.number}/dial/"
    assert page.request.post(dial, headers={"X-CSRFToken": token, "Referer": live_server.url}).status == 403
    assert not AuditEntry.objects.filter(action="caller_phone_view").exists()
