"""The pages' scripts all come from static files: Chromium reports no Content-Security-Policy violation while they
work."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.test_login_journey import log_in
from tests.factories import Actors, ticket_in
from tickets import workflow

WATCH_VIOLATIONS = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation",
  e => window.cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`));
"""


def watched(page) -> list[str]:
    """Record every CSP violation the page reports, as an event or on the browser console."""
    messages: list[str] = []
    page.add_init_script(WATCH_VIOLATIONS)
    page.on("console", lambda m: messages.append(m.text) if "Content Security Policy" in m.text else None)
    return messages


def test_the_console_works_without_a_content_security_policy_violation(page, live_server, actors: Actors) -> None:
    messages = watched(page)
    log_in(page, live_server, "operator")
    page.goto(f"{live_server.url}/console/")
    page.locator("#id_caller_phone").fill("13912340001")
    page.locator("#category-q").fill("zdjy")  # the picker (static/js/console.js), by pinyin initials
    page.wait_for_selector("#category-options [role=option]:has-text('占道经营')")
    page.keyboard.press("Enter")
    page.locator("#id_content").fill("路口有摊贩占道经营")  # the history, repeats and knowledge panels (htmx)
    page.locator("#kb-q").fill("占道")
    page.wait_for_load_state("networkidle")
    assert page.evaluate("window.cspViolations") == []
    assert messages == []


def test_the_workbench_counts_down_without_a_content_security_policy_violation(
    page, live_server, actors: Actors
) -> None:
    ticket_in(workflow.DISPATCHED, actors)
    messages = watched(page)
    log_in(page, live_server, "handler")
    page.goto(f"{live_server.url}/workbench/?tab=response")
    countdown = page.locator("[data-countdown]").first
    countdown.wait_for()
    expect(countdown).to_contain_text("小时")
    assert countdown.inner_text().startswith(("剩余", "已超期"))
    assert "form-select" in page.locator("main form select").first.get_attribute("class")
    assert page.evaluate("window.cspViolations") == []
    assert messages == []
