"""The supervisors' charts draw with the local ECharts, and every chart has its numbers as a table."""

from __future__ import annotations

from django.utils import timezone

from tests.browser.test_login_journey import log_in
from tests.factories import Actors, ticket_in
from tickets import workflow


def test_the_charts_draw_and_their_numbers_are_tables(page, live_server, actors: Actors) -> None:
    for _ in range(3):
        ticket_in(workflow.DISPATCHED, actors)
    log_in(page, live_server, "supervisor")
    page.goto(f"{live_server.url}/supervision/charts/")
    page.wait_for_selector("#chart-daily canvas")
    for chart in ("daily", "categories", "heat", "rates"):
        assert page.locator(f"#chart-{chart} canvas").count() >= 1
    today = timezone.localdate().isoformat()
    cells = page.locator("[data-testid=table-daily] tr", has_text=today).locator("td").all_text_contents()
    assert cells == [today, "3", "0"]  # the tables sit in <details>: read, not necessarily shown
    assert "城市管理" in (page.locator("[data-testid=table-categories]").text_content() or "")
