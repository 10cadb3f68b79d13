"""Shared fixtures: the demo city and its named actors, and a headless Chromium for browser tests.

Tests run against the real PostgreSQL and Redis that scripts/with-test-services.sh starts (DATABASE_URL, REDIS_URL).
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from django.core.management import call_command

from org.models import User

DEMO_PASSWORD = "hotline-demo"


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> None:
    """A skipped test is a defect here: turn every skip into a failure."""
    if call.excinfo is not None and call.excinfo.errisinstance(pytest.skip.Exception):
        call.excinfo = pytest.ExceptionInfo.from_exception(AssertionError(f"skipped: {call.excinfo.value}"))


@pytest.fixture
def demo(db: None) -> None:
    call_command("seed_demo", "--without-tickets", stdout=open(os.devnull, "w"))  # noqa: SIM115


def _user(username: str) -> User:
    return User.objects.get(username=username)


@pytest.fixture
def operator(demo: None) -> User:
    return _user("operator")


@pytest.fixture
def reviewer(demo: None) -> User:
    return _user("reviewer")


@pytest.fixture
def handler(demo: None) -> User:
    return _user("handler")


@pytest.fixture
def head(demo: None) -> User:
    return _user("head")


@pytest.fixture
def supervisor(demo: None) -> User:
    return _user("supervisor")


@pytest.fixture
def admin_user(demo: None) -> User:
    return _user("admin")


@pytest.fixture
def calendar_admin(db: None) -> User:
    """An administrator without the demo data (which confirms the real current year)."""
    return User.objects.create_superuser("calendar-admin", "a-long-test-password")


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Debian's Chromium driven by Playwright (never a downloaded browser)."""
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls the tests make are still synchronous.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as p:
        chromium = p.chromium.launch(
            executable_path=os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"),
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--disable-quic",
            ],
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: object) -> Iterator[object]:
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 800})  # type: ignore[attr-defined]
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def actors(demo: None) -> object:
    from tests.factories import Actors

    return Actors.demo()
