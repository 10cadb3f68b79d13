"""The admin writes an audit row for every permission change (groups, user permissions) and every calendar-day edit."""

from __future__ import annotations

import re

from django.contrib.auth.models import Group, Permission
from django.test import Client

from org.models import AuditEntry, CalendarYear, User


def admin_client(admin_user: User) -> Client:
    client = Client()
    client.force_login(admin_user)
    return client


def test_a_group_and_its_permissions_are_audited_when_created_in_the_admin(admin_user: User) -> None:
    permission = Permission.objects.get(codename="view_auditentry")
    response = admin_client(admin_user).post(
        "/admin/auth/group/add/", {"name": "审计查看", "permissions": [permission.pk]}
    )
    assert response.status_code == 302, response.content.decode()[:1500]
    entry = AuditEntry.objects.get(action="group_create")
    assert entry.actor == admin_user and entry.target.endswith(":审计查看")
    assert entry.detail["permissions"]["after"] == [str(permission)]


def test_putting_a_user_into_a_group_in_the_admin_is_audited(admin_user: User, handler: User) -> None:
    group = Group.objects.create(name="督办")
    data = {
        "username": "handler",
        "full_name": handler.full_name,
        "email": "",
        "phone": "",
        "role": "handler",
        "department": handler.department_id,
        "is_active": "on",
        "groups": [group.pk],
        "date_joined_0": "2026-01-01",
        "date_joined_1": "00:00:00",
    }
    response = admin_client(admin_user).post(f"/admin/org/user/{handler.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:1500]
    entry = AuditEntry.objects.get(action="user_permissions_change")
    assert entry.detail == {"groups": {"before": [], "after": ["督办"]}}


def test_adding_a_calendar_day_in_the_admin_is_audited(admin_user: User) -> None:
    year = CalendarYear.objects.create(year=2099)
    data = {
        "year": "2099",
        "days-TOTAL_FORMS": "1",
        "days-INITIAL_FORMS": "0",
        "days-MIN_NUM_FORMS": "0",
        "days-MAX_NUM_FORMS": "1000",
        "days-0-date": "2099-10-01",
        "days-0-kind": "holiday",
        "days-0-name": "国庆节",
        "days-0-year": str(year.pk),
    }
    response = admin_client(admin_user).post(f"/admin/org/calendaryear/{year.pk}/change/", data)
    assert response.status_code == 302, re.findall(r"errorlist[^<]*<li>([^<]*)", response.content.decode())
    entry = AuditEntry.objects.get(action="calendar_day_add")
    assert entry.target == "calendar:2099" and entry.detail["date"] == "2099-10-01"
