"""A user's scope is their department's subtree; centre roles and supervisors see everything."""

from __future__ import annotations

from org.models import Department, User
from org.selectors import department_in_scope, department_list


def codes(user: User) -> set[str]:
    return set(department_list(viewer=user).values_list("code", flat=True))


def test_a_handler_sees_their_department_and_the_units_below_it(handler: User) -> None:
    assert codes(handler) == {"cgj", "cgj-zfzd"}


def test_a_district_head_sees_the_whole_district(demo: None) -> None:
    district = Department.objects.get(code="jiangnan")
    head = User.objects.create_user("jn-head", "x-very-long-pw", role=User.Role.HEAD, department=district)
    assert "jiangnan-binjiang-hx" in codes(head)
    assert "jiangbei-cgj" not in codes(head) and "cgj" not in codes(head)


def test_a_unit_is_not_in_the_scope_of_a_sibling(handler: User) -> None:
    assert not department_in_scope(viewer=handler, department=Department.objects.get(code="zjj"))
    assert department_in_scope(viewer=handler, department=Department.objects.get(code="cgj-zfzd"))


def test_centre_roles_and_supervisors_see_every_department(operator, reviewer, supervisor, admin_user) -> None:
    everything = set(Department.objects.values_list("code", flat=True))
    for user in (operator, reviewer, supervisor, admin_user):
        assert codes(user) == everything


def test_the_scope_is_one_query(handler: User, django_assert_num_queries) -> None:
    handler = User.objects.select_related("department").get(pk=handler.pk)
    with django_assert_num_queries(1):
        list(department_list(viewer=handler))
