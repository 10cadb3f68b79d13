"""Who may see and act on a ticket. Out of scope looks exactly like missing (NotFound)."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext_lazy as _

from hotline.errors import Forbidden, NotFound
from org.models import Department, User
from tickets import workflow
from tickets.models import Dispatch, Ticket


def visible_tickets(viewer: User, queryset: QuerySet[Ticket] | None = None) -> QuerySet[Ticket]:
    """Centre roles and supervisors see every ticket; a department sees tickets actively dispatched in its subtree."""
    queryset = Ticket.objects.all() if queryset is None else queryset
    if viewer.sees_everything:
        return queryset
    if viewer.department is None:
        return queryset.none()
    in_subtree = Dispatch.objects.filter(
        ticket=OuterRef("pk"), active=True, department__path__startswith=viewer.department.path
    )
    return queryset.filter(Exists(in_subtree))


def history_tickets(viewer: User, queryset: QuerySet[Ticket] | None = None) -> QuerySet[Ticket]:
    """What a viewer may read and search: like visible_tickets, and also tickets their department's subtree handled
    before (returned, re-dispatched elsewhere): a department's history does not vanish when its dispatch ends."""
    queryset = Ticket.objects.all() if queryset is None else queryset
    units = scope_units(viewer)
    if units is None:
        return queryset
    if not units:
        return queryset.none()
    return queryset.filter(Exists(Dispatch.objects.filter(ticket=OuterRef("pk"), department_id__in=units)))


def scope_units(viewer: User) -> list[int] | None:
    """The departments of the viewer's subtree, or None for a viewer who sees every ticket."""
    if viewer.sees_everything:
        return None
    if viewer.department is None:
        return []
    return list(Department.objects.filter(path__startswith=viewer.department.path).values_list("pk", flat=True))


def ensure_visible(viewer: User, ticket: Ticket) -> None:
    if not visible_tickets(viewer, Ticket.objects.filter(pk=ticket.pk)).exists():
        raise NotFound(_("No such ticket."))


def ensure_role(viewer: User, verb: str) -> None:
    if not workflow.role_may(viewer.role, verb):
        raise Forbidden(_("Your role may not do this."))


def in_subtree(viewer: User, department: Department) -> bool:
    return viewer.department is not None and department.path.startswith(viewer.department.path)


def lead_dispatch(ticket: Ticket) -> Dispatch | None:
    return ticket.dispatches.filter(role=Dispatch.Role.LEAD, active=True).select_related("department").first()


def ensure_holds(viewer: User, ticket: Ticket) -> Dispatch:
    """The viewer's department (subtree) holds the ticket as lead; returns the lead dispatch."""
    dispatch = lead_dispatch(ticket)
    if dispatch is None or not in_subtree(viewer, dispatch.department):
        raise Forbidden(_("Only the lead department may do this."))
    return dispatch


def holds_ticket(viewer: User, ticket: Ticket) -> bool:
    """Centre roles, or a department with an active dispatch of this ticket in its subtree."""
    if viewer.role in workflow.CENTRE or viewer.role == "admin":
        return True
    if viewer.role not in workflow.DEPARTMENT or viewer.department is None:
        return False
    return ticket.dispatches.filter(active=True, department__path__startswith=viewer.department.path).exists()


def may_see_confidential(viewer: User) -> bool:
    """The centre (operators, reviewers, admins) sees confidential callers; supervisors and departments never."""
    return viewer.role in workflow.CENTRE or viewer.role == "admin"


def may_see_caller(viewer: User, ticket: Ticket) -> bool:
    """The centre and the holding department see the caller unmasked; a confidential caller only the centre."""
    if viewer.role in workflow.CENTRE or viewer.role == "admin":
        return True
    return not ticket.confidential and holds_ticket(viewer, ticket)


def mask_phone(phone: str) -> str:
    if len(phone) < 7:
        return "*" * len(phone)
    return f"{phone[:3]}****{phone[-4:]}"


LEAD_ONLY = frozenset({"sign", "return", "extend", "reply", "sub_dispatch"})


def actions_possible(viewer: User, ticket: Ticket) -> list[str]:
    """workflow.actions_for, narrowed to the viewer's part in the ticket: lead actions for the lead unit, contact and
    findings for a child unit with the open sub-dispatch, the co-handling reply for a co-handling unit that has not
    answered yet, a decision only when one is pending, taking a submission only when nobody has."""
    verbs = workflow.actions_for(ticket.status, viewer.role)
    lead = lead_dispatch(ticket)
    is_lead = viewer.role in workflow.DEPARTMENT and lead is not None and in_subtree(viewer, lead.department)
    sub = (
        ticket.dispatches.filter(role=Dispatch.Role.SUB, active=True, replied_at=None, parent=lead)
        .select_related("department")
        .first()
        if lead
        else None
    )
    is_sub = viewer.role in workflow.DEPARTMENT and sub is not None and in_subtree(viewer, sub.department)
    co_open = (
        viewer.department is not None
        and ticket.dispatches.filter(
            role=Dispatch.Role.CO, active=True, replied_at=None, department__path__startswith=viewer.department.path
        ).exists()
    )
    allowed = {
        "contact": is_lead or is_sub,
        "unit_reply": is_sub,
        "sub_dispatch": is_lead and sub is None,
        "co_reply": co_open,
        "decide_extension": "decide_extension" in verbs and ticket.extensions.filter(state="pending").exists(),
        "take": ticket.taken_by_id is None,
        "release": ticket.taken_by_id is not None
        and (ticket.taken_by_id == viewer.pk or viewer.role == workflow.REVIEWER),
    }
    return [v for v in verbs if (v not in LEAD_ONLY or is_lead) and allowed.get(v, True)]


def actions_available(viewer: User, ticket: Ticket) -> list[str]:
    """Every action the viewer may take on the ticket now: the life cycle's and the rectification's and appeal's
    (reviews/steps.py). The ticket page and the API's ``actions`` both show this list."""
    from reviews.selectors import review_actions

    return actions_possible(viewer, ticket) + review_actions(ticket, viewer)
