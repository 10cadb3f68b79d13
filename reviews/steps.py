"""The rectification (差评整改) and appeal (复核) life cycles as data, like tickets/workflow.py. Pure: no models.

Services check a step with ``ensure_step``; the ticket page, the API's ``actions`` and the owner function
(tickets/owner.py) read the same tables, so no form or view restates which step is allowed or whose turn it is.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from hotline.errors import TransitionNotAllowed

# Rectification states (reviews.models.Rectification.State)
OPEN, VERIFIED, AWAITING_APPROVAL, REPORTED, DONE, ENDED = (
    "open",
    "verified",
    "awaiting_approval",
    "reported",
    "done",
    "ended",
)
# Appeal states (reviews.models.Appeal.State); NONE is "no appeal yet"
NONE, AWAITING_HEAD, AWAITING_CENTRE, UPHELD, REJECTED = "", "awaiting_head", "awaiting_centre", "upheld", "rejected"

# Who takes a step: the rated department's handlers and heads (for a ticket the centre answered itself, the centre's
# reviewers), the department's head alone, the centre's reviewers, or the system (never offered to a person).
DEPARTMENT, HEAD, REVIEWER, SYSTEM = "department", "head", "reviewer", "system"


@dataclass(frozen=True)
class Step:
    moves: frozenset[tuple[str, str | None]]  # (from, to); to None: the state does not change
    by: str
    ledger: bool = False  # only for a 限期整改 report whose ledger entry is still open


def _moves(*pairs: tuple[str, str | None]) -> frozenset[tuple[str, str | None]]:
    return frozenset(pairs)


RECTIFICATION_STEPS: dict[str, Step] = {
    "rect_verify": Step(_moves((OPEN, VERIFIED)), DEPARTMENT),  # 回访核实
    # A report moves to REPORTED, or to AWAITING_APPROVAL when it says the review is invalid (无效差评).
    "rect_report": Step(_moves((VERIFIED, REPORTED), (VERIFIED, AWAITING_APPROVAL)), DEPARTMENT),
    # The centre approves the invalid-review report (REPORTED) or sends the department to report again (VERIFIED).
    "rect_decide_invalid": Step(_moves((AWAITING_APPROVAL, REPORTED), (AWAITING_APPROVAL, VERIFIED)), REVIEWER),
    "rect_inform": Step(_moves((REPORTED, DONE)), DEPARTMENT),  # the citizen told; the ticket is surveyed again
    "rect_ledger_contact": Step(_moves((REPORTED, None), (DONE, None)), DEPARTMENT, ledger=True),
    "rect_ledger_done": Step(_moves((REPORTED, None), (DONE, None)), DEPARTMENT, ledger=True),
    # An upheld appeal ends a rectification that has not been completed.
    "rect_end": Step(_moves(*((s, ENDED) for s in (OPEN, VERIFIED, AWAITING_APPROVAL, REPORTED))), SYSTEM),
}

APPEAL_STEPS: dict[str, Step] = {
    "appeal_apply": Step(_moves((NONE, AWAITING_HEAD)), DEPARTMENT),
    "appeal_opinion": Step(_moves((AWAITING_HEAD, AWAITING_CENTRE)), HEAD),
    "appeal_decide": Step(_moves((AWAITING_CENTRE, UPHELD), (AWAITING_CENTRE, REJECTED)), REVIEWER),
}

# A rectification may be appealed while it is not finished; while an appeal is pending the rectification waits
# (its clocks are paused) and no rectification step is offered.
APPEALABLE = frozenset({OPEN, VERIFIED, AWAITING_APPROVAL, REPORTED})
APPEAL_PENDING = frozenset({AWAITING_HEAD, AWAITING_CENTRE})

# Whose turn it is in each state, as a queue key of tickets/owner.py (None: the rectification owns nothing).
RECTIFICATION_QUEUES: dict[str, tuple[str, str] | None] = {
    OPEN: ("rect_verify", DEPARTMENT),
    VERIFIED: ("rect_report", DEPARTMENT),
    AWAITING_APPROVAL: ("invalid_review", REVIEWER),
    REPORTED: ("rect_inform", DEPARTMENT),
    DONE: None,
    ENDED: None,
}
APPEAL_QUEUES: dict[str, tuple[str, str]] = {
    AWAITING_HEAD: ("appeal_opinion", HEAD),
    AWAITING_CENTRE: ("appeal_decide", REVIEWER),
}

_NOT_NOW = _("This step is not possible at this stage of the rectification.")


def _table(verb: str) -> Step:
    return RECTIFICATION_STEPS.get(verb) or APPEAL_STEPS[verb]


def from_states(verb: str) -> frozenset[str]:
    return frozenset(src for src, _dst in _table(verb).moves)


def ensure_step(verb: str, state: str, to: str | None = None, *, appeal_state: str = NONE) -> None:
    """Raise TransitionNotAllowed unless ``verb`` may move ``state`` (to ``to``, when given) now."""
    step = _table(verb)
    allowed = (state, to) in step.moves if to is not None else state in from_states(verb)
    if verb in RECTIFICATION_STEPS and step.by != SYSTEM and appeal_state in APPEAL_PENDING:
        allowed = False  # the rectification waits for the appeal's decision
    if not allowed:
        raise TransitionNotAllowed(_NOT_NOW)


def rectification_steps(state: str, *, appeal_state: str = NONE, ledger_open: bool = False) -> list[str]:
    """Steps a person may take on a rectification in ``state`` (before checking who the person is)."""
    if appeal_state in APPEAL_PENDING:
        return []
    return [
        verb
        for verb, step in RECTIFICATION_STEPS.items()
        if step.by != SYSTEM and state in from_states(verb) and (ledger_open or not step.ledger)
    ]


def appeal_steps(rectification_state: str, appeal_state: str) -> list[str]:
    """The appeal step a person may take now: apply once while the rectification runs, then opinion, then decision.
    A decided appeal is final: a rejected one cannot be made again."""
    if appeal_state == NONE:
        return ["appeal_apply"] if rectification_state in APPEALABLE else []
    return [verb for verb in APPEAL_STEPS if appeal_state in from_states(verb)]
