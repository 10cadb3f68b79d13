"""A citizen's submission (/submit/, /mailbox/) is one ticket however often it is sent, and the text survives a
refusal (issue 13, item 1), in headless Chromium against the database."""

from __future__ import annotations

from tickets.models import Ticket


def _send(page) -> None:
    page.get_by_role("button", name="提交").click()


def test_a_citizen_going_back_after_the_receipt_and_submitting_again_files_one_ticket(page, live_server, demo) -> None:
    page.goto(f"{live_server.url}/submit/")
    page.fill("#id_content", "公园门口的井盖松动了")
    page.fill("#id_phone", "13912345004")
    _send(page)
    number = page.get_by_test_id("number").inner_text()
    page.go_back()
    page.wait_for_selector("#id_content")
    assert page.input_value("#id_content") == "公园门口的井盖松动了"  # the form as it was sent, with its key
    _send(page)
    assert page.get_by_test_id("number").inner_text() == number
    assert Ticket.objects.count() == 1
    page.goto(f"{live_server.url}/submit/")  # a new visit is a new, empty form
    assert page.input_value("#id_content") == ""


def test_a_mailbox_letter_sent_twice_from_the_same_form_is_one_ticket(page, live_server, demo) -> None:
    page.goto(f"{live_server.url}/mailbox/")
    page.fill("#id_content", "建议在小区增加充电桩")
    page.fill("#id_phone", "13912345006")
    page.locator("#id_office").select_option(index=1)
    _send(page)
    number = page.get_by_test_id("number").inner_text()
    page.go_back()
    page.wait_for_selector("#id_content")
    _send(page)
    assert page.get_by_test_id("number").inner_text() == number and Ticket.objects.count() == 1


def test_the_citizens_text_is_not_lost_on_the_429_page(page, live_server, demo, settings) -> None:
    settings.PUBLIC_SUBMIT_RATE_PHONE = "1/h"
    page.goto(f"{live_server.url}/submit/")
    page.fill("#id_content", "第一次反映：路灯不亮")
    page.fill("#id_phone", "13912345007")
    _send(page)
    page.get_by_test_id("number").wait_for()
    page.goto(f"{live_server.url}/submit/")
    text = "第二次反映：楼下餐馆油烟直排，晚上十点后还在营业，窗户都不敢开"
    page.fill("#id_content", text)
    page.fill("#id_phone", "13912345007")
    _send(page)  # the same phone again within the hour: refused
    assert page.get_by_test_id("kept-text").input_value() == text
    assert Ticket.objects.count() == 1
    page.get_by_role("link", name="返回表单").click()
    assert page.input_value("#id_content") == text and page.input_value("#id_phone") == "13912345007"
    assert page.get_by_test_id("text-restored").is_visible()
