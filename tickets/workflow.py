"""The ticket life cycle as data (DESIGN.md section 2). Pure: no database, no Django models.

``TRANSITIONS`` maps (from, to) to the verb that makes that move; ``IN_PLACE`` lists the actions that do not change
the status and the statuses they are allowed in; ``ROLES`` says who may take each action. Services call
``ensure_allowed``; pages and the API call ``actions_for`` to offer only what is possible now.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from hotline.errors import TransitionNotAllowed

RECEIVED, ANSWERED, DISPATCHED, RETURNED = "received", "answered", "dispatched", "returned"
IN_PROGRESS, REPLIED, AWAITING_SURVEY = "in_progress", "replied", "awaiting_survey"
RECTIFYING, CLOSED, MERGED = "rectifying", "closed", "merged"

OPERATOR, REVIEWER, HANDLER, HEAD, SUPERVISOR = "operator", "reviewer", "handler", "head", "supervisor"
CENTRE = frozenset({OPERATOR, REVIEWER})
DEPARTMENT = frozenset({HANDLER, HEAD})

TRANSITIONS: dict[tuple[str, str], tuple[str, ...]] = {
    (RECEIVED, ANSWERED): ("answer",),
    (RECEIVED, DISPATCHED): ("dispatch",),
    (RECEIVED, MERGED): ("merge",),
    (DISPATCHED, IN_PROGRESS): ("sign",),
    (DISPATCHED, RETURNED): ("return",),
    (IN_PROGRESS, RETURNED): ("return",),
    (RETURNED, DISPATCHED): ("arbitrate_return",),  # re-dispatched, or the return rejected before the sign
    (RETURNED, IN_PROGRESS): ("arbitrate_return",),  # the return rejected after the sign
    (IN_PROGRESS, REPLIED): ("reply",),
    (REPLIED, AWAITING_SURVEY): ("approve_reply",),
    (REPLIED, IN_PROGRESS): ("send_back",),
    (AWAITING_SURVEY, CLOSED): ("survey", "close"),  # a good rating or unreachable; or the reviewer closes it
    (ANSWERED, CLOSED): ("survey", "close"),
    (AWAITING_SURVEY, RECTIFYING): ("survey",),  # a bad review (差评) opens a rectification
    (ANSWERED, RECTIFYING): ("survey",),
    (RECTIFYING, AWAITING_SURVEY): ("rectification_inform",),  # the citizen told the outcome: survey again
    (MERGED, CLOSED): ("close_with_main",),  # a repeat follows its main ticket: closed when the main is closed
    (RECTIFYING, CLOSED): ("appeal_decide",),  # an upheld appeal: the bad review is untrue, nothing is left to do
}

_SUPERVISABLE = frozenset({DISPATCHED, IN_PROGRESS, REPLIED, RECTIFYING})
IN_PLACE: dict[str, frozenset[str]] = {
    "take": frozenset({RECEIVED}),  # an operator takes a submission from the intake queue
    "release": frozenset({RECEIVED}),  # and may put it back
    "complete": frozenset({RECEIVED}),  # complete the record (kind, category, area, address) before dispatching
    "contact": frozenset({DISPATCHED, IN_PROGRESS, REPLIED}),
    "sub_dispatch": frozenset({IN_PROGRESS}),  # the lead signs first, then passes the work to a child unit
    "unit_reply": frozenset({IN_PROGRESS}),  # the child unit submits its findings to the lead
    "co_reply": frozenset({DISPATCHED, IN_PROGRESS, REPLIED}),
    "extend": frozenset({IN_PROGRESS}),
    "decide_extension": frozenset({IN_PROGRESS, REPLIED}),
    "supervise": _SUPERVISABLE,
    "remind": _SUPERVISABLE,
}

ROLES: dict[str, frozenset[str]] = {
    "receive": CENTRE,
    "take": CENTRE,
    "release": CENTRE,
    "complete": CENTRE,
    "unit_reply": DEPARTMENT,
    "answer": CENTRE,
    "dispatch": CENTRE,
    "merge": CENTRE,
    "sign": DEPARTMENT,
    "contact": DEPARTMENT,
    "return": DEPARTMENT,
    "sub_dispatch": frozenset({HEAD}),
    "co_reply": DEPARTMENT,
    "extend": DEPARTMENT,
    "reply": DEPARTMENT,
    "arbitrate_return": frozenset({REVIEWER}),
    "decide_extension": frozenset({REVIEWER}),
    "approve_reply": frozenset({REVIEWER}),
    "send_back": frozenset({REVIEWER}),
    "close": frozenset({REVIEWER}),
    "close_with_main": frozenset(),  # only the system, inside ticket_finish
    "appeal_decide": frozenset(),  # decided in reviews/ (the appeal's own steps); here only its move to closed
    # Surveys and rectification (reviews/): the services there check these too.
    "survey": CENTRE,
    "rectification_inform": frozenset(),  # taken as the rectification's step rect_inform (reviews/steps.py)
    "supervise": frozenset({SUPERVISOR, REVIEWER}),
    "remind": frozenset({SUPERVISOR, REVIEWER}),
}

VERBS = tuple(ROLES)


def from_statuses(verb: str) -> frozenset[str]:
    """Every status from which ``verb`` may be taken."""
    if verb in IN_PLACE:
        return IN_PLACE[verb]
    return frozenset(src for (src, _dst), verbs in TRANSITIONS.items() if verb in verbs)


def ensure_allowed(verb: str, status: str, to: str | None = None) -> None:
    """Raise TransitionNotAllowed unless ``verb`` may be taken from ``status`` (and lead to ``to``, if given)."""
    allowed = verb in TRANSITIONS.get((status, to), ()) if to is not None else status in from_statuses(verb)
    if not allowed:
        raise TransitionNotAllowed(_("This action is not possible while the ticket is in its current state."))


def role_may(role: str, verb: str) -> bool:
    return role in ROLES.get(verb, frozenset())


def actions_for(status: str, role: str) -> list[str]:
    """The verbs a user of ``role`` may take on a ticket in ``status`` (before scope and timing checks)."""
    return [verb for verb in VERBS if verb != "receive" and role_may(role, verb) and status in from_statuses(verb)]
