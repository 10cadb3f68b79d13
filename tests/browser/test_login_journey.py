"""In headless Chromium: the Chinese login page, and every demo user landing on their role's page."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings

from org.models import User

ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"
LANDING = {
    "operator": ("/console/", "话务工作台"),
    "reviewer": ("/centre/queues/", "中心审核队列"),
    "handler": ("/workbench/", "承办单位工作台"),
    "head": ("/workbench/", "承办单位工作台"),
    "supervisor": ("/supervision/", "督办看板"),
    "admin": ("/admin/", "12345 热线系统管理"),
}


def log_in(page, live_server, username: str, password: str = "hotline-demo") -> None:
    page.goto(f"{live_server.url}/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    page.wait_for_load_state()


def test_the_login_page_renders_in_chinese(page, live_server, transactional_db) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    assert page.locator("h1").inner_text() == "登录 12345 热线系统"
    assert page.evaluate("document.documentElement.lang") == "zh-hans"
    # The local Bootstrap stylesheet loaded (no CDN): the button is styled.
    assert (
        page.evaluate("getComputedStyle(document.querySelector('.btn-primary')).backgroundColor") != "rgba(0, 0, 0, 0)"
    )
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "login-zh.png"), full_page=True)


@pytest.mark.parametrize("username", list(LANDING))
def test_each_demo_user_logs_in_and_lands_on_their_page(page, live_server, demo, username: str) -> None:
    log_in(page, live_server, username)
    path, heading = LANDING[username]
    assert page.url == f"{live_server.url}{path}"
    assert heading in page.content()
    assert User.objects.get(username=username).last_login is not None
    page.screenshot(path=str(ARTIFACTS / f"landing-{username}.png"), full_page=True)


def test_a_wrong_password_shows_a_chinese_error(page, live_server, demo) -> None:
    log_in(page, live_server, "operator", "not-the-password")
    assert "请输入一个正确的" in page.locator(".alert-danger").inner_text()
    assert User.objects.get(username="operator").last_login is None
