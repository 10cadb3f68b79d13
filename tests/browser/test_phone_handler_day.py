"""A handler's day on a 390 × 844 phone: workbench, sign, contact, reply with a photo from the camera, notifications.
No page scrolls sideways (scrollWidth <= clientWidth) and the collapsed top bar leaves the screen to the work;
screenshots of each page go to test-artifacts/."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

from tests.browser.test_login_journey import log_in
from tests.factories import Actors, ticket_in
from tickets import workflow
from tickets.models import Attachment, Ticket
from tickets.services.notifications import outbox_deliver

ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)


def fits_the_phone(page, name: str) -> None:
    """No sideways scrolling, and a screenshot of the whole page to look at."""
    page.wait_for_load_state()
    scroll, client = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"phone-{name}.png"), full_page=True)
    assert client == 390 and scroll <= client, f"{name}: scrollWidth {scroll} > clientWidth {client}"


def test_a_handlers_day_on_a_phone(browser, live_server, actors: Actors, tmp_path) -> None:
    ticket = ticket_in(workflow.DISPATCHED, actors)
    ticket_in(workflow.IN_PROGRESS, actors)  # more work in the other tabs
    outbox_deliver()  # the dispatch notifications, as the worker delivers them
    photo = tmp_path / "现场照片.png"
    photo.write_bytes(PNG)
    context = browser.new_context(
        locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    fits_the_phone(page, "login")
    log_in(page, live_server, "handler")
    assert page.url.endswith("/workbench/")
    fits_the_phone(page, "workbench")
    header = page.locator("nav.navbar").bounding_box()
    assert header is not None and header["height"] < 120  # collapsed: not 650 of the 844 px
    assert not page.get_by_test_id("current-user").is_visible()
    page.get_by_role("button", name="菜单").click()  # the menu opens on demand
    page.locator("#navbar-menu.show").wait_for()  # opened, not still sliding
    assert page.get_by_test_id("current-user").inner_text() == "张承办 · 承办人 · 市城市管理局"
    fits_the_phone(page, "workbench-menu")
    page.get_by_role("button", name="菜单").click()

    page.get_by_role("link", name=ticket.number).click()  # from the 待签收 tab
    fits_the_phone(page, "ticket-to-sign")
    page.locator("[data-action=sign] button").click()
    page.wait_for_load_state()
    page.locator("[data-action=contact] select").select_option("phone")
    page.locator("[data-action=contact] textarea").fill("已电话联系市民，约定明早到现场")
    fits_the_phone(page, "ticket-contact")
    page.locator("[data-action=contact] button").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("ticket-status").inner_text() == "办理中"

    reply = page.locator("[data-action=reply]")
    camera = reply.get_by_label("或用相机拍照")
    assert camera.get_attribute("accept") == "image/*" and camera.get_attribute("capture") is not None
    reply.locator("select").select_option("solved")
    reply.locator("textarea").fill("已清理占道摊点，并安排每日巡查")
    camera.set_input_files(str(photo))
    fits_the_phone(page, "ticket-reply")
    reply.get_by_role("button", name="答复").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("ticket-status").inner_text() == "待审核"
    fits_the_phone(page, "ticket-replied")
    attachment = Attachment.objects.get(ticket=ticket)
    assert attachment.name == "现场照片.png" and attachment.content_type == "image/png"
    assert Ticket.objects.get(pk=ticket.pk).status == workflow.REPLIED

    page.get_by_test_id("inbox-link").click()  # the badge stays outside the collapsed menu
    fits_the_phone(page, "notifications")
    assert page.get_by_test_id("inbox").get_by_role("link").count() >= 2
    page.goto(f"{live_server.url}/workbench/?tab=history")
    fits_the_phone(page, "workbench-history")

    page.get_by_role("button", name="菜单").click()  # search, from the menu: the results are cards on a phone
    page.locator("#navbar-menu.show").wait_for()
    page.get_by_role("link", name="查找工单").click()
    page.locator("input[name=q]").fill(ticket.number)
    page.locator("input[name=q]").press("Enter")
    page.wait_for_load_state()
    row = page.get_by_test_id("results").locator(f"tr[data-number='{ticket.number}']")
    status = row.locator("td[data-label='状态']")
    assert status.inner_text() == "待审核" and status.evaluate("td => getComputedStyle(td).display") == "block"
    fits_the_phone(page, "search")
    context.close()
