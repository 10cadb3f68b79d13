"""Who must act next on a ticket (DESIGN.md section 2: every unfinished ticket has exactly one owner). Pure.

``owner_of`` takes the facts of one ticket and answers the queue it is in, the department that owns it (the centre for
the centre's queues), the user for a call saved for later or a submission taken from intake, and the due time the
owner works against; or None for a finished ticket. Services store its answer on the ticket in the same transaction
(tickets/services/ownership.py), and every queue page, the console and ``GET /api/v1/work/`` read those columns, so
nothing else decides queue membership. The property test checks the stored answer against this function.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from reviews import steps
from tickets import workflow

OPERATOR, REVIEWER, HANDLER, HEAD = workflow.OPERATOR, workflow.REVIEWER, workflow.HANDLER, workflow.HEAD
CENTRE_SIDE, DEPARTMENT_SIDE = "centre", "department"


@dataclass(frozen=True)
class Queue:
    label: StrOrPromise
    roles: frozenset[str]
    side: str  # the centre's queue, or a department's


_CENTRE = frozenset({OPERATOR, REVIEWER})
_REVIEWER = frozenset({REVIEWER})
_DEPARTMENT = frozenset({HANDLER, HEAD})
# Rectification queues: a department's, or (for a ticket the centre answered itself) the centre's reviewers'. A
# reviewer belongs only to the centre and a handler only to a department, so one role set serves both.
_RECTIFIER = frozenset({HANDLER, HEAD, REVIEWER})

# In the order a person's to-do lists them.
QUEUES: dict[str, Queue] = {
    "saved": Queue(_("Calls I saved or took"), _CENTRE, CENTRE_SIDE),
    "intake": Queue(_("Submissions to take in"), _CENTRE, CENTRE_SIDE),
    "returns": Queue(_("Returns to decide"), _REVIEWER, CENTRE_SIDE),
    "review": Queue(_("Replies to review"), _REVIEWER, CENTRE_SIDE),
    "extensions": Queue(_("Extensions to decide"), _REVIEWER, CENTRE_SIDE),
    "invalid_review": Queue(_("Invalid-review reports to decide"), _REVIEWER, CENTRE_SIDE),
    "appeal_decide": Queue(_("Appeals to decide"), _REVIEWER, CENTRE_SIDE),
    "survey": Queue(_("Callbacks due"), _CENTRE, CENTRE_SIDE),
    "sign": Queue(_("To sign"), _DEPARTMENT, DEPARTMENT_SIDE),
    "contact": Queue(_("Contact the citizen"), _DEPARTMENT, DEPARTMENT_SIDE),
    "sub_dispatch": Queue(_("Sub-dispatched to your unit"), _DEPARTMENT, DEPARTMENT_SIDE),
    "reply": Queue(_("Reply due"), _DEPARTMENT, DEPARTMENT_SIDE),
    "rework": Queue(_("Sent back for rework"), _DEPARTMENT, DEPARTMENT_SIDE),
    "rect_verify": Queue(_("Bad reviews to verify"), _RECTIFIER, DEPARTMENT_SIDE),
    "rect_report": Queue(_("Rectification reports due"), _RECTIFIER, DEPARTMENT_SIDE),
    "rect_inform": Queue(_("Tell the citizen the outcome"), _RECTIFIER, DEPARTMENT_SIDE),
    "appeal_opinion": Queue(_("Appeals for the head"), frozenset({HEAD}), DEPARTMENT_SIDE),
}


@dataclass(frozen=True)
class Facts:
    """What decides the owner, read from the ticket's rows by ``tickets.services.ownership.ticket_facts``."""

    status: str
    centre_id: int
    lead_department_id: int | None = None
    open_sub_department_id: int | None = None  # a sub-dispatch whose findings are not in yet
    extension_pending: bool = False
    taken_by_id: int | None = None
    rectification_state: str | None = None  # of the ticket's latest rectification
    rectification_department_id: int | None = None
    appeal_state: str = steps.NONE  # of the latest rectification's appeal
    appeal_department_id: int | None = None
    rework: bool = False  # the open reply clock was started by a send-back
    due: dict[str, datetime] = field(default_factory=dict)  # open clocks: kind → due time


@dataclass(frozen=True)
class Owner:
    queue: str
    department_id: int
    user_id: int | None = None
    due_at: datetime | None = None

    @property
    def roles(self) -> frozenset[str]:
        return QUEUES[self.queue].roles


def owner_of(f: Facts) -> Owner | None:
    """The one owner of an unfinished ticket; None once it is finished (closed, or merged into its main ticket)."""
    if f.status in (workflow.CLOSED, workflow.MERGED):
        return None
    if f.appeal_state in steps.APPEAL_QUEUES:  # a pending appeal comes first: the rectification waits for it
        queue, side = steps.APPEAL_QUEUES[f.appeal_state]
        department = f.centre_id if side == steps.REVIEWER else f.appeal_department_id
        return Owner(queue, department or f.centre_id)
    if f.status == workflow.RECTIFYING:
        return _rectification_owner(f)
    return _life_cycle_owner(f)


def _centre(queue: str, f: Facts, clock: str | None = None, user_id: int | None = None) -> Owner:
    return Owner(queue, f.centre_id, user_id, f.due.get(clock) if clock else None)


def _life_cycle_owner(f: Facts) -> Owner:
    if f.status == workflow.RECEIVED:
        if f.taken_by_id is not None:
            return _centre("saved", f, "intake", f.taken_by_id)
        return _centre("intake", f, "intake")
    if f.status in (workflow.ANSWERED, workflow.AWAITING_SURVEY):
        return _centre("survey", f, "survey")
    if f.status == workflow.RETURNED:
        return _centre("returns", f)
    if f.status == workflow.REPLIED:
        return _centre("review", f)
    lead = f.lead_department_id or f.centre_id
    if f.status == workflow.DISPATCHED:
        return Owner("sign", lead, due_at=f.due.get("response"))
    # in progress
    if f.extension_pending:
        return _centre("extensions", f, "reply")
    if f.open_sub_department_id is not None:
        return Owner("sub_dispatch", f.open_sub_department_id, due_at=f.due.get("reply"))
    if "response" in f.due:
        return Owner("contact", lead, due_at=f.due["response"])
    return Owner("rework" if f.rework else "reply", lead, due_at=f.due.get("reply"))


def _rectification_owner(f: Facts) -> Owner:
    target = steps.RECTIFICATION_QUEUES.get(f.rectification_state or "")
    if target is None:  # cannot happen while rectifying; the centre looks at it rather than nobody
        return _centre("review", f)
    queue, side = target
    department = f.centre_id if side == steps.REVIEWER else (f.rectification_department_id or f.centre_id)
    clock = {"rect_verify": "rect_response", "rect_report": "rect_reply"}.get(queue)
    return Owner(queue, department, due_at=f.due.get(clock) if clock else None)
