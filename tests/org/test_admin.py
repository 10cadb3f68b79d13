"""The admin role runs the Django admin; permission changes and calendar confirmations are audited."""

from __future__ import annotations

from django.test import Client

from org.models import AuditEntry, CalendarYear, Department, User


def test_admins_see_a_standing_alert_until_next_year_is_confirmed(admin_user: User, client: Client) -> None:
    client.force_login(admin_user)
    body = client.get("/admin/").content.decode()
    assert 'data-testid="calendar-alert"' in body and "尚未确认" in body
    CalendarYear.objects.update(confirmed=True)
    assert 'data-testid="calendar-alert"' not in client.get("/admin/").content.decode()


def test_other_roles_never_see_the_calendar_alert(operator: User, client: Client) -> None:
    client.force_login(operator)
    assert 'data-testid="calendar-alert"' not in client.get("/console/").content.decode()


def test_confirming_a_year_in_the_admin_is_audited(admin_user: User, client: Client) -> None:
    client.force_login(admin_user)
    next_year = CalendarYear.objects.filter(confirmed=False).get()
    response = client.post(
        "/admin/org/calendaryear/", {"action": "confirm_years", "_selected_action": [next_year.pk]}, follow=True
    )
    assert response.status_code == 200
    next_year.refresh_from_db()
    assert next_year.confirmed and next_year.confirmed_by == admin_user
    assert AuditEntry.objects.filter(action="calendar_year_confirm", actor=admin_user).exists()


def test_changing_a_users_role_in_the_admin_writes_an_audit_row(admin_user: User, handler: User, client: Client):
    client.force_login(admin_user)
    url = f"/admin/org/user/{handler.pk}/change/"
    data = {
        "username": "handler",
        "full_name": handler.full_name,
        "email": "",
        "phone": "",
        "role": "head",
        "department": handler.department_id,
        "is_active": "on",
        "last_login_0": "",
        "last_login_1": "",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "00:00:00",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = AuditEntry.objects.get(action="user_permissions_change")
    assert entry.actor == admin_user
    assert entry.detail == {"role": ["handler", "head"]}


def test_a_handler_without_a_department_is_refused_by_the_database(demo: None) -> None:
    import pytest
    from django.db import IntegrityError

    with pytest.raises(IntegrityError):
        User.objects.create_user("lost", "x-very-long-pw", role=User.Role.HANDLER, department=None)


def test_the_audit_log_cannot_be_edited_or_deleted_in_the_admin(admin_user: User, client: Client) -> None:
    client.force_login(admin_user)
    entry = AuditEntry.objects.first()
    assert entry is not None
    assert client.post(f"/admin/org/auditentry/{entry.pk}/delete/", {"post": "yes"}).status_code == 403
    assert client.get("/admin/org/auditentry/add/").status_code == 403
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_the_department_tree_is_editable_in_the_admin(admin_user: User, client: Client) -> None:
    client.force_login(admin_user)
    assert "江城市人民政府" in client.get("/admin/org/department/").content.decode()  # children expand in place
    cgj = Department.objects.get(code="cgj")
    assert cgj.name in client.get(f"/admin/org/department/{cgj.pk}/change/").content.decode()


def test_a_deadline_policy_names_a_kind_the_tickets_have(admin_user: User, client: Client) -> None:
    """A kind typed as free text (投诉 for complaint) would never match a ticket: the admin offers the kinds."""
    from tickets.models import DeadlinePolicy

    client.force_login(admin_user)
    form = client.get("/admin/tickets/deadlinepolicy/add/").content.decode()
    assert 'value="complaint"' in form and 'value="very_urgent"' in form
    days = {"response_days": 1, "reply_days": 3, "survey_days": 2, "intake_days": 1}
    refused = client.post("/admin/tickets/deadlinepolicy/add/", {"kind": "投诉", "urgency": "", **days})
    assert refused.status_code == 200 and "errorlist" in refused.content.decode()
    assert not DeadlinePolicy.objects.filter(kind="投诉").exists()
    added = client.post("/admin/tickets/deadlinepolicy/add/", {"kind": "complaint", "urgency": "urgent", **days})
    assert added.status_code == 302
    assert DeadlinePolicy.objects.get(kind="complaint", urgency="urgent").reply_days == 3
