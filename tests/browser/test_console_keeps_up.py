"""The console keeps up with any typist and loses nothing typed (issue 13, item 1), checked in headless Chromium
against the database: a whole call typed with no delay between keys, a session that expires in the middle of a call,
Back after the receipt, a failed save, and a department chosen by hand."""

from __future__ import annotations

from importlib import import_module
from pathlib import Path

from django.conf import settings
from django.contrib.sessions.models import Session
from django.utils import timezone
from playwright.sync_api import expect

from org.middleware import SEEN
from tests.browser.test_console_journeys import focused, keyboard_login
from tests.browser.test_login_journey import log_in
from tests.factories import Actors, area, department
from tickets import workflow
from tickets.models import CallDraft, KnowledgeArticle, Ticket

ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"


def _expire_every_session() -> None:
    """What 30 idle minutes do: the session's last-seen stamp is past the idle limit (org/middleware.py)."""
    store_class = import_module(settings.SESSION_ENGINE).SessionStore
    idle = settings.SESSION_IDLE_TIMEOUT.total_seconds()
    for row in Session.objects.all():
        store = store_class(session_key=row.session_key)
        store[SEEN] = timezone.now().timestamp() - idle - 60
        store.save()


def test_a_whole_call_typed_with_no_delay_lands_in_every_field(page, live_server, actors: Actors) -> None:
    keyboard_login(page, live_server, "operator")
    focused(page, "id_caller_phone")
    keys = page.keyboard
    # No waiting anywhere: each key follows the last at once, Tab included, ahead of every result list.
    keys.type("13912340000", delay=0)
    keys.press("Tab")
    keys.type("赵先生", delay=0)
    keys.press("Tab")
    keys.press("ArrowUp")  # kind: 投诉 → 求助
    keys.press("Tab")
    keys.type("zdjy", delay=0)  # category by pinyin initials: 占道经营
    keys.press("Tab")
    keys.type("rml", delay=0)  # a road: 人民路, first in 江南区 › 人民街道
    keys.press("Tab")
    keys.type("人民路 20 号东湖花园门口", delay=0)
    keys.press("Tab")
    keys.type("路口早晚高峰有流动摊贩占道经营，影响通行", delay=0)
    keys.press("Tab")
    keys.press("ArrowDown")  # urgency: 一般 → 紧急
    keys.press("Tab")
    keys.press("Space")  # confidential
    keys.press("Control+Enter")  # dispatch
    page.wait_for_selector("[data-testid=last-ticket]")
    ticket = Ticket.objects.select_related("caller").get(caller__phone="13912340000")
    assert (ticket.caller.name, ticket.kind, ticket.urgency) == ("赵先生", "help", "urgent")  # type: ignore[union-attr]
    assert ticket.category is not None and ticket.category.name == "占道经营"
    assert ticket.area == area("jn-rm")
    assert ticket.address == "人民路 20 号东湖花园门口"
    assert ticket.content == "路口早晚高峰有流动摊贩占道经营，影响通行"
    assert ticket.confidential is True and ticket.anonymous is False
    assert ticket.status == workflow.DISPATCHED and ticket.lead_department == department("jiangnan-cgj")
    assert Ticket.objects.count() == 1 and not CallDraft.objects.exists()


def test_a_session_that_expires_mid_call_keeps_the_call_as_a_draft(page, live_server, browser, actors: Actors) -> None:
    log_in(page, live_server, "operator")
    page.fill("#id_caller_phone", "13912345001")
    page.fill("#id_caller_name", "钱女士")
    page.locator("#category-q").fill("zyrm")
    page.wait_for_selector("#category-options [role=option]:has-text('噪音扰民')")
    page.keyboard.press("Enter")
    page.fill("#id_address", "望江路 12 号")
    with page.expect_response(lambda r: "/console/draft/" in r.url and "工地夜间施工" in (r.request.post_data or "")):
        page.fill("#id_content", "工地夜间施工噪音扰民，晚上十一点后仍在作业")
    draft = CallDraft.objects.get(operator=actors.operator)
    assert draft.phone == "13912345001" and draft.fields["content"] == "工地夜间施工噪音扰民，晚上十一点后仍在作业"
    _expire_every_session()
    page.keyboard.press("Alt+s")  # the save meets an expired session: the login page
    page.wait_for_selector("#id_username")
    assert not Ticket.objects.exists()
    keyboard_login(page, live_server, "operator")
    page.wait_for_selector("[data-testid=draft-restored]:visible")
    assert page.input_value("#id_caller_phone") == "13912345001"
    assert page.input_value("#id_caller_name") == "钱女士"
    assert page.input_value("#category-q") == "噪音扰民" and page.input_value("#id_category") != ""
    assert page.input_value("#id_address") == "望江路 12 号"
    assert page.input_value("#id_content") == "工地夜间施工噪音扰民，晚上十一点后仍在作业"
    # Another browser (the tab crashed and took its storage, or another seat): the server kept the call.
    other = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 800}).new_page()
    log_in(other, live_server, "operator")
    other.get_by_test_id("server-draft").filter(has_text="13912345001").click()
    assert other.input_value("#id_content") == "工地夜间施工噪音扰民，晚上十一点后仍在作业"
    assert other.input_value("#category-q") == "噪音扰民"
    other.context.close()
    page.keyboard.press("Alt+s")
    page.wait_for_selector("[data-testid=last-ticket]")
    ticket = Ticket.objects.get()
    assert ticket.content == "工地夜间施工噪音扰民，晚上十一点后仍在作业" and ticket.address == "望江路 12 号"
    assert ticket.category is not None and ticket.category.name == "噪音扰民"
    assert ticket.submission_key == draft.key and not CallDraft.objects.exists()


def test_back_after_the_receipt_and_sending_again_files_one_ticket(page, live_server, actors: Actors) -> None:
    log_in(page, live_server, "operator")
    page.fill("#id_caller_phone", "13912345002")
    page.fill("#id_content", "小区路灯坏了一个月没人修")
    page.keyboard.press("Alt+s")
    page.wait_for_selector("[data-testid=last-ticket]")
    number = Ticket.objects.get().number
    page.go_back()
    page.wait_for_selector("[data-testid=draft-sent]:visible")
    assert page.input_value("#id_content") == "小区路灯坏了一个月没人修"
    page.keyboard.press("Alt+s")  # sent again with the key the browser kept
    page.wait_for_selector("[data-testid=last-ticket]")
    assert Ticket.objects.count() == 1
    assert f"已保存为工单 {number}" in page.content()
    # A new call after that is a new form with a new key.
    page.fill("#id_caller_phone", "13912345003")
    page.fill("#id_content", "另一位市民反映噪音")
    page.keyboard.press("Alt+s")
    page.wait_for_selector(f"[data-testid=last-ticket]:not(:has-text('{number}'))")
    assert Ticket.objects.count() == 2


def test_a_failed_save_keeps_every_field_choice_and_panel(page, live_server, actors: Actors) -> None:
    KnowledgeArticle.objects.create(title="占道经营如何投诉", body="可拨打 12345 反映占道经营。", keywords="占道 摊贩")
    log_in(page, live_server, "operator")
    page.fill("#id_caller_phone", "13912345005")
    page.locator("#category-q").fill("zdjy")
    page.wait_for_selector("#category-options [role=option]:has-text('占道经营')")
    page.keyboard.press("Enter")
    page.locator("#area-q").fill("人民路")
    page.wait_for_selector("#area-options [role=option]:has-text('江北区 › 望江街道')")
    page.keyboard.press("ArrowDown")  # the second 人民路: 江北区 › 望江街道
    page.keyboard.press("Enter")
    expect(page.locator("#id_department")).to_have_value(str(department("jiangbei-cgj").pk))
    page.select_option("#id_department", str(department("cgj").pk))  # by hand: the city bureau
    page.fill("#id_address", "人民路 8 号")
    page.fill("#id_content", "路边有摊贩占道经营")
    page.wait_for_selector("[data-testid=kb-article]:has-text('占道经营如何投诉')")  # from the words of the call
    page.keyboard.press("Alt+m")  # merge, but no open ticket looks like this call: refused
    page.wait_for_selector("[data-testid=error-merge_into]")
    assert not Ticket.objects.exists()
    assert page.input_value("#id_caller_phone") == "13912345005"
    assert page.input_value("#category-q") == "占道经营"
    assert page.input_value("#area-q") == "江北区 › 望江街道"
    assert page.input_value("#id_address") == "人民路 8 号"
    assert page.input_value("#id_content") == "路边有摊贩占道经营"
    assert page.input_value("#id_department") == str(department("cgj").pk)
    assert page.get_by_test_id("by-hand-badge").is_visible()
    assert "该号码没有历史工单" in page.locator("#history").inner_text()  # the side panels as they were
    assert "占道经营如何投诉" in page.get_by_test_id("kb-results").inner_text()
    assert page.get_by_test_id("category-picked").inner_text() == "✓ 占道经营"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "console-failed-save.png"), full_page=True)
    page.keyboard.press("Alt+d")
    page.wait_for_selector("[data-testid=last-ticket]")
    ticket = Ticket.objects.get()
    assert ticket.lead_department == department("cgj") and ticket.area == area("jb-wj")


def test_changing_the_area_proposes_and_never_replaces_a_department_chosen_by_hand(
    page, live_server, actors: Actors
) -> None:
    log_in(page, live_server, "operator")
    page.locator("#category-q").fill("zdjy")
    page.wait_for_selector("#category-options [role=option]:has-text('占道经营')")
    page.keyboard.press("Enter")
    expect(page.locator("#id_department")).to_have_value(str(department("cgj").pk))
    page.select_option("#id_department", str(department("zjj").pk))  # chosen by hand
    page.locator("#area-q").fill("jnq")
    page.wait_for_selector("#area-options [role=option]:has-text('江南区')")
    page.keyboard.press("Enter")
    page.wait_for_selector("[data-testid=route-proposal]:visible:has-text('江南区城市管理局')")
    assert page.input_value("#id_department") == str(department("zjj").pk)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "console-route-proposal.png"), full_page=True)
    page.get_by_test_id("route-use").click()
    assert page.input_value("#id_department") == str(department("jiangnan-cgj").pk)
    assert page.get_by_test_id("route-badge").is_visible() and not page.get_by_test_id("route-proposal").is_visible()


def _type_a_call(page) -> None:
    page.fill("#id_caller_phone", "13912345008")
    page.locator("#category-q").fill("rqgy")
    page.wait_for_selector("#category-options [role=option]:has-text('燃气供应')")
    page.keyboard.press("Enter")
    page.fill("#id_content", "小区突然停气，没有收到任何通知")


def _the_call_is_back(page) -> None:
    page.wait_for_selector("[data-testid=draft-restored]:visible")
    assert page.input_value("#id_caller_phone") == "13912345008"
    assert page.input_value("#category-q") == "燃气供应" and page.input_value("#id_category") != ""
    assert page.input_value("#id_content") == "小区突然停气，没有收到任何通知"


def test_a_language_switch_a_csrf_failure_and_a_crashed_tab_keep_the_call(page, live_server, actors: Actors) -> None:
    log_in(page, live_server, "operator")
    _type_a_call(page)
    page.select_option("select[name=language]", "en")  # the switch reloads the page, in English
    page.wait_for_selector("html[lang=en]")
    _the_call_is_back(page)
    page.context.clear_cookies(name="csrftoken")  # the form's token no longer matches: Django refuses the save
    with page.expect_navigation(wait_until="load") as refused:  # the refusal page replaces the console
        page.keyboard.press("Alt+s")
    response = refused.value
    assert response is not None and response.request.method == "POST"
    assert response.status == 403 and not Ticket.objects.exists()
    page.goto(f"{live_server.url}/console/")  # the operator opens the console again
    _the_call_is_back(page)
    context = page.context
    page.close()  # the tab is gone; a new one opens the console
    tab = context.new_page()
    tab.goto(f"{live_server.url}/console/")
    _the_call_is_back(tab)
    tab.keyboard.press("Alt+s")
    tab.wait_for_selector("[data-testid=last-ticket]")
    ticket = Ticket.objects.get()
    assert ticket.content == "小区突然停气，没有收到任何通知" and ticket.category.name == "燃气供应"  # type: ignore[union-attr]


def test_discarding_a_restored_call_leaves_it_nowhere(page, live_server, actors: Actors) -> None:
    log_in(page, live_server, "operator")
    with page.expect_response(lambda r: "/console/draft/" in r.url and "小区突然停气" in (r.request.post_data or "")):
        _type_a_call(page)
    assert CallDraft.objects.filter(operator=actors.operator, phone="13912345008").exists()
    page.reload()
    _the_call_is_back(page)
    assert page.get_by_test_id("server-draft").filter(has_text="13912345008").count() == 1
    with page.expect_response(lambda r: "/console/draft/" in r.url and "discard" in (r.request.post_data or "")):
        page.get_by_test_id("draft-restored").locator("[data-new-call]").click()
    assert page.input_value("#id_caller_phone") == "" and page.input_value("#id_content") == ""
    assert not CallDraft.objects.exists()
    assert page.get_by_test_id("server-draft").filter(has_text="13912345008").count() == 0  # nor in the list shown
    page.reload()  # neither this browser nor the server offers the dropped call again
    page.wait_for_selector("#id_caller_phone")
    assert not page.get_by_test_id("draft-restored").is_visible()
    assert page.get_by_test_id("server-draft").count() == 0
