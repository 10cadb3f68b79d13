"""Reads for rectifications and appeals: which of their steps a person may take on a ticket now.

The steps and their order come from reviews/steps.py; this only adds who the person is.
"""

from __future__ import annotations

from django.db.models import Q

from hotline.errors import DomainError
from org.models import Department, User
from reviews import permissions, steps
from reviews.models import Appeal, Rectification
from tickets.models import Ticket


def rectification_current(ticket: Ticket) -> Rectification | None:
    return Rectification.objects.filter(ticket=ticket).select_related("department", "round").order_by("-pk").first()


def appeal_current(rectification: Rectification) -> Appeal | None:
    return Appeal.objects.filter(round_id=rectification.round_id).order_by("-pk").first()


def _is(check: object) -> bool:
    try:
        check()  # type: ignore[operator]
    except DomainError:
        return False
    return True


def _may(user: User, rect: Rectification, verb: str) -> bool:
    by = (steps.RECTIFICATION_STEPS.get(verb) or steps.APPEAL_STEPS[verb]).by
    department = rect.department
    if by == steps.REVIEWER:
        return user.role == "reviewer" and _is(lambda: permissions.ensure_in_scope(user, department))
    if by == steps.HEAD:
        return _is(lambda: permissions.ensure_department_actor(user, department, heads_only=True))
    if verb == "appeal_apply" and (user.role not in ("handler", "head") or department.kind == Department.Kind.CENTRE):
        return False
    return _is(lambda: permissions.ensure_department_actor(user, department))


def review_actions(ticket: Ticket, user: User) -> list[str]:
    """The rectification and appeal steps ``user`` may take on ``ticket`` now, in the order they are declared."""
    rect = rectification_current(ticket)
    if rect is None:
        return []
    appeal = appeal_current(rect)
    appeal_state = appeal.state if appeal else steps.NONE
    if rect.round.untrue:
        appeal_state = appeal_state or steps.UPHELD
    ledger_open = rect.report_type == Rectification.ReportType.LEDGER and rect.ledger_done_at is None
    verbs = steps.rectification_steps(rect.state, appeal_state=appeal_state, ledger_open=ledger_open)
    verbs += steps.appeal_steps(rect.state, appeal_state)
    return [verb for verb in verbs if _may(user, rect, verb)]


def rectifications_pending_appeal() -> Q:
    """Rectifications whose review is under appeal (their steps wait)."""
    return Q(round__appeals__state__in=steps.APPEAL_PENDING)
