"""Demo data: a city, two districts, departments, categories, one user per role; idempotent; never in production."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from org.models import Department, User
from tickets.models import Category


def counts() -> tuple[int, int, int]:
    return Department.objects.count(), Category.objects.count(), User.objects.count()


def test_running_the_demo_seed_twice_changes_nothing(demo: None) -> None:
    before = counts()
    call_command("seed_demo", "--without-tickets", stdout=io.StringIO())
    assert counts() == before
    assert Department.objects.filter(kind=Department.Kind.DISTRICT).count() == 2
    assert set(User.objects.values_list("username", "role")) == {
        ("operator", "operator"),
        ("reviewer", "reviewer"),
        ("handler", "handler"),
        ("head", "head"),
        ("unit", "handler"),
        ("supervisor", "supervisor"),
        ("admin", "admin"),
    }


def test_the_demo_city_has_the_named_city_departments_and_categories(demo: None) -> None:
    names = set(Department.objects.values_list("name", flat=True))
    for name in ("城市管理局", "住房和城乡建设局", "生态环境局", "市场监督管理局", "教育局"):
        assert any(n.endswith(name) for n in names)
    group = Category.objects.get(name="城市管理")
    assert {"占道经营", "噪音扰民", "环境卫生"} <= {c.name for c in Category.objects.get_children(group)}


def test_the_handler_and_head_belong_to_city_management(handler: User, head: User) -> None:
    assert handler.department is not None and head.department is not None
    assert handler.department.name == head.department.name == "市城市管理局"


@override_settings(DEMO_DATA_ALLOWED=False)
def test_production_refuses_to_load_demo_data(db: None) -> None:
    with pytest.raises(CommandError):
        call_command("seed_demo", stdout=io.StringIO())
    assert User.objects.count() == 0


def test_the_demo_has_sample_tickets_at_several_stages_made_once(db: None) -> None:
    from tickets.models import Ticket

    call_command("seed_demo", stdout=io.StringIO())
    call_command("seed_demo", stdout=io.StringIO())
    statuses = set(Ticket.objects.values_list("status", flat=True))
    assert Ticket.objects.count() == 6
    assert {"received", "answered", "dispatched", "in_progress", "replied", "awaiting_survey"} == statuses
    assert Ticket.objects.get(status="dispatched").deadlines.filter(kind="response", state="open").exists()
