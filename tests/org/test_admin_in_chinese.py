"""The admin's strings that Django 5.2 and the libraries leave in English are Chinese: permission names, django-axes,
treebeard's move form, the filter widgets' JavaScript."""

from __future__ import annotations

import json
import re

from django.test import Client

from org.models import User


def _admin(admin_user: User) -> Client:
    client = Client()
    client.force_login(admin_user)
    return client


def test_permissions_are_named_in_chinese_in_the_group_form(admin_user: User) -> None:
    content = _admin(admin_user).get("/admin/auth/group/add/").content.decode()
    assert "可以新增诉求分类" in content and "可以查看工单" in content
    assert "Can add category" not in content and "Can view ticket<" not in content


def test_the_lock_out_app_and_the_tree_move_form_speak_chinese(admin_user: User) -> None:
    client = _admin(admin_user)
    assert "登录尝试与锁定" in client.get("/admin/").content.decode()
    attempts = client.get("/admin/axes/accessattempt/").content.decode()
    assert "尝试时间" in attempts and "Attempt Time" not in attempts
    department = client.get("/admin/org/department/add/").content.decode()
    assert "相对于" in department and "Relative to" not in department


def test_the_filter_widgets_javascript_strings_are_chinese(admin_user: User) -> None:
    catalog_js = _admin(admin_user).get("/admin/jsi18n/").content.decode()
    catalog = json.loads(re.search(r"const newcatalog = (\{.*?\});", catalog_js, re.S).group(1))  # type: ignore[union-attr]
    assert catalog["Choose all %s"] == "全选%s" and catalog["Remove all %s"] == "删除全部%s"
