"""The head reaches their unit's page and drills down to an overdue ticket; the supervisor ranks with ties.

Screenshots of both pages are saved under test-artifacts/.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from django.utils import timezone

from reviews import services as review_services
from tests.browser.test_supervisor_journey import page_as  # noqa: F401 - the fixture
from tests.factories import Actors, department, ticket_in
from tests.supervision.test_rankings import TIED, rollup_rows
from tickets import workflow
from tickets.models import Deadline
from tickets.sweeps import sweep_deadlines

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def test_a_head_opens_their_units_page_and_drills_down_to_an_overdue_ticket(
    page_as,  # noqa: F811
    live_server,
    actors: Actors,
    time_machine,
) -> None:
    bad = ticket_in(workflow.AWAITING_SURVEY, actors)
    review_services.ticket_survey(
        ticket_id=bad.pk, actor=actors.operator, outcome="answered", rating=2, solved=False, comment="处理不及时"
    )
    late = ticket_in(workflow.DISPATCHED, actors)
    time_machine.move_to(Deadline.objects.get(ticket=late, kind="response").due_at + timedelta(hours=2))
    sweep_deadlines(now=timezone.now())
    head = page_as("head")
    head.goto(f"{live_server.url}/supervision/")  # the supervision address takes a head to their own unit
    assert head.get_by_test_id("page-title").inner_text() == "市城市管理局"
    assert "处理不及时" in head.get_by_test_id("bad-reviews").inner_text()
    assert "市城市管理综合执法支队" in head.get_by_test_id("children").inner_text()
    ARTIFACTS.mkdir(exist_ok=True)
    head.screenshot(path=str(ARTIFACTS / "head-unit-page.png"), full_page=True)
    assert head.get_by_test_id("red-response").inner_text() == "1"
    head.get_by_test_id("red-response").click()
    head.get_by_test_id("overdue-list").get_by_role("link", name=late.number).click()
    assert head.get_by_test_id("ticket-number").inner_text().endswith(late.number)


def test_the_supervisor_ranks_units_with_ties(page_as, actors: Actors) -> None:  # noqa: F811
    this = timezone.localdate().replace(day=1)
    before = (this - timedelta(days=1)).replace(day=1)
    rollup_rows(before, "survey_rate", {**TIED, "zjj": (1, 2)})
    rollup_rows(this, "survey_rate", TIED)
    assert department("jiangnan").numchild > 0
    supervisor = page_as("supervisor")
    supervisor.get_by_role("link", name="排名").first.click()
    supervisor.get_by_label("指标").select_option("survey_rate")
    supervisor.get_by_role("button", name="查看").click()
    assert supervisor.get_by_test_id("rank").all_inner_texts() == ["1", "2", "2", "4", "4", "—"]
    assert supervisor.get_by_test_id("bottom-again").count() == 2
    ARTIFACTS.mkdir(exist_ok=True)
    supervisor.screenshot(path=str(ARTIFACTS / "rankings-with-ties.png"), full_page=True)
