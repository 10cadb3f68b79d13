"""On a phone: a citizen submits on the web form, then tracks the ticket with the number and code."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.cache import cache

from tests.factories import Actors
from tickets.models import Ticket

ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"


def test_a_citizen_submits_and_tracks_on_a_phone(browser, live_server, actors: Actors) -> None:
    cache.clear()
    context = browser.new_context(
        locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    page.goto(f"{live_server.url}/submit/")
    page.get_by_label("类型").select_option("complaint")
    page.get_by_label("诉求分类").select_option(label="噪音扰民")
    page.get_by_label("地址").fill("江北区望江路 9 号")
    page.get_by_label("诉求内容").fill("楼下酒吧每晚噪音到凌晨两点")
    page.get_by_label("您的姓名").fill("周先生")
    page.get_by_label("您的电话").fill("13600006666")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "citizen-submit-phone.png"), full_page=True)
    page.get_by_role("button", name="提交").click()
    number = page.get_by_test_id("number").inner_text()
    code = page.get_by_test_id("code").inner_text()
    ticket = Ticket.objects.get(number=number)
    assert ticket.channel == "web" and ticket.content == "楼下酒吧每晚噪音到凌晨两点"

    page.get_by_role("link", name="查询办理进度").click()
    page.get_by_label("工单编号").fill(number)
    page.get_by_label("查询码").fill("WRONGCODE0")
    page.get_by_role("button", name="查询").click()
    assert page.get_by_test_id("not-found").is_visible()
    page.get_by_label("查询码").fill(code)
    page.get_by_role("button", name="查询").click()
    tracked = page.get_by_test_id("tracked").inner_text()
    assert number in tracked and "已受理" in tracked and "13600006666" not in page.content()
    page.screenshot(path=str(ARTIFACTS / "citizen-track-phone.png"), full_page=True)
    context.close()
