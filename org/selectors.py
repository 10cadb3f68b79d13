"""Reads about departments and people, with the scope rule: a user sees their department's subtree."""

from __future__ import annotations

from django.db.models import QuerySet

from org.models import Department, User


def department_subtree(department: Department) -> QuerySet[Department]:
    """The department and every unit below it (one indexed prefix scan on the materialised path)."""
    return Department.objects.filter(path__startswith=department.path)


def department_list(*, viewer: User) -> QuerySet[Department]:
    """The departments ``viewer`` may see: all of them for centre roles and supervisors, else their subtree."""
    if viewer.sees_everything:
        return Department.objects.all()
    if viewer.department is None:
        return Department.objects.none()
    return department_subtree(viewer.department)


def department_in_scope(*, viewer: User, department: Department) -> bool:
    if viewer.sees_everything:
        return True
    return viewer.department is not None and department.path.startswith(viewer.department.path)
