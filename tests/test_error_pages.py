"""403, 404, 500 and a failed CSRF check answer in Chinese with a way back home."""

from __future__ import annotations

from django.test import Client, RequestFactory
from django.views.defaults import server_error

from org.models import User


def _way_back(content: str) -> bool:
    return 'href="/"' in content and "返回我的首页" in content


def test_a_page_outside_the_users_role_is_a_chinese_403(handler: User) -> None:
    client = Client()
    client.force_login(handler)
    response = client.get("/supervision/")
    content = response.content.decode()
    assert response.status_code == 403 and "您无权打开此页面（403）" in content and _way_back(content)


def test_an_unknown_address_is_a_chinese_404(client: Client, db: None) -> None:
    response = client.get("/no-such-page/")
    content = response.content.decode()
    assert response.status_code == 404 and "页面不存在（404）" in content and _way_back(content)


def test_a_form_without_its_csrf_token_is_a_chinese_403_that_saves_nothing(operator: User) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(operator)
    response = client.post("/console/", {"content": "市民反映路灯不亮", "action": "save"})
    content = response.content.decode()
    assert response.status_code == 403 and "表单已失效（403）" in content and _way_back(content)
    from tickets.models import Ticket

    assert not Ticket.objects.filter(content="市民反映路灯不亮").exists()


def test_a_server_error_is_a_chinese_500(db: None) -> None:
    response = server_error(RequestFactory().get("/"))
    content = response.content.decode()
    assert response.status_code == 500 and "系统出错了（500）" in content and _way_back(content)


def test_browsers_asking_for_favicon_ico_get_the_icon(client: Client, db: None) -> None:
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"].endswith("favicon.svg")
