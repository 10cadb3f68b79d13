"""Learning from history in Chromium: the console proposes a category and department learnt from imported tickets
and the operator accepts them with the keyboard; a supervisor watches a hot spot grow and is told once."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from learning.hotspots.refresh import hotspots_refresh
from learning.models import SuggestionPick
from learning.suggest.store import suggestion_model_forget
from tests.browser.test_console_journeys import focused, keyboard_login
from tests.browser.test_login_journey import log_in
from tests.factories import Actors, department, receive
from tests.learning.test_hotspots import FUMES
from tests.learning.test_suggestions import KINDS
from tickets.models import Category, Notification, Ticket


@pytest.fixture
def learnt(actors: Actors, tmp_path: Path, settings: object) -> Iterator[None]:
    """Four hundred tickets imported from the old system, and the model trained on them."""
    settings.MEDIA_ROOT = tmp_path / "media"  # type: ignore[attr-defined]
    lines = ["编号,受理时间,分类,内容,承办单位"]
    for i in range(400):
        path, unit, texts = KINDS[i % 4]
        lines.append(f"H{i},2024-0{1 + i % 9}-1{i % 9} 10:00:00,{path},{texts.split()[(i // 4) % 4]}{i},"
                     f"{department(unit).name}")  # fmt: skip
    (tmp_path / "history.csv").write_text("\n".join(lines), encoding="utf-8")
    call_command("import_history", str(tmp_path / "history.csv"), stdout=io.StringIO())
    call_command("suggest_train", stdout=io.StringIO())
    suggestion_model_forget()
    yield
    suggestion_model_forget()


def test_the_operator_accepts_the_learnt_category_and_department_with_the_keyboard(
    page, live_server, actors: Actors, learnt: None
) -> None:
    keyboard_login(page, live_server, "operator")
    focused(page, "id_caller_phone")
    page.keyboard.type("13912340001")
    page.focus("#id_content")
    page.keyboard.type("我家楼下天天有小贩占道经营，人行道都走不了")
    first = page.locator("[data-testid=suggested-category]").first
    first.wait_for()
    assert "占道经营" in first.inner_text() and "%" in first.inner_text()
    assert page.locator("#id_category").input_value() == ""  # nothing chosen for the operator
    page.keyboard.press("Alt+1")
    zdjy = Category.objects.get(code="zdjy")
    expect(page.locator("#id_category")).to_have_value(str(zdjy.pk))
    page.locator("[data-testid=suggested-department]").first.wait_for()
    page.keyboard.press("Alt+4")
    cgj = department("cgj")
    expect(page.locator("#id_department")).to_have_value(str(cgj.pk))
    page.keyboard.press("Alt+d")
    page.wait_for_selector("[data-testid=last-ticket]")
    ticket = Ticket.objects.exclude(imported__isnull=False).get()
    assert (ticket.category, ticket.lead_department) == (zdjy, cgj)
    pick = SuggestionPick.objects.get(ticket=ticket)
    assert pick.category_accepted and pick.department_accepted


def test_a_supervisor_sees_a_hot_spot_grow_and_is_notified_once(page, live_server, actors: Actors) -> None:
    for i, text in enumerate(FUMES[:4]):
        receive(actors, content=text, address="江南区锦绣小区", caller_phone=f"1390000001{i}")
    hotspots_refresh()  # what beat runs every ten minutes
    log_in(page, live_server, "supervisor")
    page.get_by_test_id("hotspots-link").click()
    page.get_by_test_id("hotspot-label").first.wait_for()
    assert "锦绣小区" in page.get_by_test_id("hotspot-label").first.inner_text()
    assert page.get_by_test_id("hotspot-ticket").count() == 4
    assert page.get_by_test_id("unread").count() == 0
    receive(actors, content=FUMES[4], address="锦绣小区", caller_phone="13900000020")
    hotspots_refresh()
    page.reload()
    assert page.get_by_test_id("hotspot-ticket").count() == 5
    assert page.get_by_test_id("unread").inner_text() == "1"
    receive(actors, content=FUMES[5], address="锦绣小区3栋", caller_phone="13900000021")
    hotspots_refresh()
    hotspots_refresh()
    page.reload()
    assert page.get_by_test_id("hotspot-ticket").count() == 6
    assert page.get_by_test_id("unread").inner_text() == "1"  # told once, however it grows
    page.get_by_test_id("inbox-link").click()
    assert "热点" in page.content() and "锦绣小区" in page.content()
    assert Notification.objects.filter(user=actors.supervisor, kind="hotspot").count() == 1


def test_the_operator_sees_an_open_ticket_about_the_same_compound_as_a_possible_repeat(
    page, live_server, actors: Actors
) -> None:
    """The place is found before a 的 (幸福小区的路灯, 幸福小区门口的路灯); nothing is chosen for merging."""
    earlier = receive(actors, content="幸福小区的路灯坏了一个多星期，晚上漆黑一片", address="", caller_phone="")
    receive(actors, content="人民公园的健身器材坏了", address="", caller_phone="")  # another place, another problem
    keyboard_login(page, live_server, "operator")
    focused(page, "id_caller_phone")
    page.focus("#id_content")
    page.keyboard.type("幸福小区门口的路灯不亮了，晚上出门很危险")
    candidate = page.get_by_test_id("repeat-candidate")
    expect(candidate).to_have_count(1)
    expect(candidate).to_contain_text(earlier.number)
    expect(candidate).to_contain_text("同一地点")
    expect(page.locator("[data-testid=repeat-candidate] input:checked")).to_have_count(0)
