"""The department's history tab (what it replied, what was closed, what it returned) and the workbench's pages."""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import QueryDict

from tickets.models import Deadline, Dispatch, Ticket
from tickets.search.pages import Page, beyond, cursor_decode, next_after

HISTORY_STATUSES = ("replied", "awaiting_survey", "rectifying", "closed")


def department_history(ids: list[int]) -> QuerySet[Ticket]:
    """Tickets the subtree ``ids`` handled that have left its hands: replied or closed, or returned by it."""
    handled = Dispatch.objects.filter(ticket=OuterRef("pk"), department_id__in=ids)
    returned = handled.exclude(return_state="")
    return Ticket.objects.filter(Q(Exists(handled), status__in=HISTORY_STATUSES) | Q(Exists(returned))).select_related(
        "category", "lead_department"
    )


def clock_page(
    clocks: QuerySet[Deadline],
    params: QueryDict,
    soonest: Callable[[QuerySet[Deadline], int], list[Deadline]],
    size: int,
) -> Page:
    """A page of open clocks, soonest first, continuing after ``?after=`` (due time, id)."""
    after = params.get("after")
    if after:
        clocks = clocks.filter(beyond("due_at", False, *cursor_decode(after, True)))
    rows = soonest(clocks, size + 1)
    more, rows = len(rows) > size, rows[:size]
    return Page(
        rows=rows,
        next_query=next_after(params, rows[-1], "due_at") if more else None,
        prev_query=None,
        count=len(rows),
        count_capped=False,
    )
