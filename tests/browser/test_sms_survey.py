"""On a phone: the citizen opens the SMS link, rates, and cannot answer twice."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

from reviews.models import SurveyRound
from tests.factories import Actors, ticket_in
from tests.reviews.conftest import survey_token
from tickets import services, workflow

ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"


def test_a_citizen_answers_the_sms_survey_once_on_a_phone(
    browser, live_server, actors: Actors, settings, django_capture_on_commit_callbacks
) -> None:
    from hotline import sms

    settings.SMS_BACKEND = "hotline.sms.LocmemBackend"
    sms.outbox.clear()
    ticket = ticket_in(workflow.REPLIED, actors)
    with django_capture_on_commit_callbacks(execute=True):
        services.ticket_approve_reply(ticket_id=ticket.pk, actor=actors.reviewer)
    token = survey_token(sms.outbox, "13812345678")

    context = browser.new_context(
        locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    page.goto(f"{live_server.url}/s/{token}")
    assert page.locator("h1").inner_text() == "您对诉求的办理情况满意吗？"
    page.get_by_label("基本满意").check()
    page.get_by_label("已解决", exact=True).check()
    page.get_by_label("意见和建议（选填）").fill("处理及时")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "sms-survey-phone.png"), full_page=True)
    page.get_by_role("button", name="提交").click()
    assert "感谢您的评价" in page.locator("[data-testid=survey-message]").inner_text()
    survey = SurveyRound.objects.get(ticket=ticket)
    assert (survey.rating, survey.solved, survey.channel, survey.comment) == (3, True, "sms", "处理及时")

    page.goto(f"{live_server.url}/s/{token}")
    page.get_by_label("非常不满意").check()
    page.get_by_label("未解决").check()
    page.get_by_role("button", name="提交").click()
    assert "已经提交过" in page.locator("[data-testid=survey-message]").inner_text()
    assert SurveyRound.objects.get(ticket=ticket).rating == 3
    context.close()
    sms.outbox.clear()
