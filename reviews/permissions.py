"""Who may see and act on ratings, rectifications and appeals: the rated department's subtree, and the centre."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from hotline.errors import Forbidden, NotFound
from org.models import Department, User
from org.selectors import department_in_scope


def scope_filter(viewer: User, field: str = "department") -> Q:
    """Rows whose ``field`` department is in the viewer's subtree (everything for the centre and supervisors)."""
    if viewer.sees_everything:
        return Q()
    if viewer.department is None:
        return Q(pk__in=[])
    return Q(**{f"{field}__path__startswith": viewer.department.path})


def scoped(viewer: User, queryset: QuerySet, field: str = "department") -> QuerySet:
    return queryset.filter(scope_filter(viewer, field))


def ensure_in_scope(viewer: User, department: Department) -> None:
    if not department_in_scope(viewer=viewer, department=department):
        raise NotFound(_("Not found."))


def ensure_department_actor(viewer: User, department: Department, *, heads_only: bool = False) -> None:
    """Handlers (or heads) of the rated department act; for a centre-handled ticket, the centre's reviewers do."""
    ensure_in_scope(viewer, department)
    roles = {"head"} if heads_only else {"handler", "head"}
    if department.kind == Department.Kind.CENTRE and not heads_only:
        roles.add("reviewer")
    if viewer.role not in roles:
        raise Forbidden(_("Your role may not do this."))


def ensure_reviewer(viewer: User) -> None:
    if viewer.role != "reviewer":
        raise Forbidden(_("Only the centre's reviewers decide this."))
