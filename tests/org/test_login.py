"""Login: a Chinese page, a landing page per role, account lock-out, well-known passwords refused."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from org.auth import HotlineModelBackend
from org.models import User

LANDING = {
    "operator": "/console/",
    "reviewer": "/centre/queues/",
    "handler": "/workbench/",
    "head": "/workbench/",
    "supervisor": "/supervision/",
    "admin": "/admin/",
}


def login(client: Client, username: str, password: str = "hotline-demo", ip: str = "10.0.0.1"):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip, follow=True)


def test_the_login_page_speaks_chinese_by_default(client: Client) -> None:
    response = client.get(reverse("login"))
    body = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="zh-hans">' in body
    assert "登录 12345 热线系统" in body and "用户名" in body and "密码" in body


def test_the_login_page_speaks_english_when_chosen(client: Client) -> None:
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    body = client.get(reverse("login")).content.decode()
    assert "Log in to the 12345 Hotline" in body


@pytest.mark.parametrize("username", list(LANDING))
def test_each_demo_user_lands_on_the_page_of_their_role(demo: None, username: str) -> None:
    client = Client()
    response = login(client, username)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == LANDING[username]


def test_a_wrong_password_gives_a_chinese_error_and_no_session(demo: None, client: Client) -> None:
    response = login(client, "operator", "wrong-password")
    assert "请输入一个正确的" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_an_operator_cannot_open_the_workbench_or_the_admin(operator: User, client: Client) -> None:
    client.force_login(operator)
    assert client.get("/workbench/").status_code == 403
    assert client.get("/supervision/").status_code == 403
    assert client.get("/admin/").status_code == 302  # the admin sends non-staff to its own login


def test_five_failures_lock_the_account_whatever_the_ip_address(demo: None) -> None:
    for attempt in range(5):
        login(Client(), "handler", "wrong-password", ip=f"10.0.0.{attempt + 1}")
    response = login(Client(), "handler", ip="10.9.9.9")  # the right password, from a new address
    assert response.status_code == 429
    assert "账号已锁定" in response.content.decode()
    assert login(Client(), "head").redirect_chain[-1][0] == "/workbench/"  # other accounts are unaffected


def test_the_lock_ends_30_minutes_after_the_last_attempt(demo: None, time_machine) -> None:
    time_machine.move_to("2026-11-25T09:00:00+08:00", tick=False)
    for _ in range(5):
        login(Client(), "handler", "wrong-password")
    time_machine.move_to("2026-11-25T09:31:00+08:00", tick=False)
    assert login(Client(), "handler").redirect_chain[-1][0] == "/workbench/"


@override_settings(REFUSED_PASSWORDS=frozenset({"hotline-demo"}))
def test_production_settings_refuse_the_well_known_demo_password(demo: None, client: Client) -> None:
    response = login(client, "operator")
    assert "_auth_user_id" not in client.session
    assert "请输入一个正确的" in response.content.decode()


@override_settings(REFUSED_PASSWORDS=frozenset({"hotline-demo"}))
def test_the_demo_password_cannot_be_set_in_production(operator: User) -> None:
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="公开的已知密码"):
        validate_password("hotline-demo", operator)


def test_a_session_user_comes_with_their_department_in_one_query(handler: User, django_assert_num_queries) -> None:
    assert handler.department is not None
    name = handler.department.name
    with django_assert_num_queries(1):
        user = HotlineModelBackend().get_user(handler.pk)
        assert user is not None and user.department is not None
        assert user.department.name == name


def test_a_deactivated_or_deleted_user_has_no_session_user(handler: User) -> None:
    User.objects.filter(pk=handler.pk).update(is_active=False)
    assert HotlineModelBackend().get_user(handler.pk) is None
    assert HotlineModelBackend().get_user(-1) is None
