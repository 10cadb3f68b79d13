"""A person's to-do, read from the owner columns that tickets/owner.py decides (selectors, no writes).

``work_queues`` is what ``GET /api/v1/work/``, the centre queues, the console's intake list and the department
workbench all show: the queues the user's role works, each with its true count and its first page, soonest due
first. Every list starts from the partial index ``ticket_owner_queue``, so finished history costs nothing.

Besides what they own, departments have two lists of help asked of them on tickets owned by others (``assists``):
co-handling requests (协办) and rectification ledger entries (整改台账) that run on after the citizen was told.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import F, Q, QuerySet
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from hotline.errors import DomainError
from org.models import User
from tickets.models import Deadline, Dispatch, Ticket
from tickets.owner import CENTRE_SIDE, QUEUES
from tickets.queue_counts import queue_counts
from tickets.search.pages import Page

PAGE = 50


@dataclass
class WorkQueue:
    key: str
    label: StrOrPromise
    count: int
    tickets: list[Ticket]


def queue_keys(user: User, *, side: str | None = None) -> list[str]:
    """The queues ``user``'s role works (of one side, if given), in the order of QUEUES."""
    if not user.is_authenticated:
        return []
    return [key for key, q in QUEUES.items() if user.role in q.roles and (side is None or q.side == side)]


def queue_filter(user: User, key: str) -> Q:
    """Tickets in ``user``'s queue ``key``: a centre queue is the centre's (or, for "saved", the user's own); a
    department queue is the user's department's own, not its parent's nor its children's."""
    if key == "saved":
        return Q(owner_queue=key, owner_user=user)
    if QUEUES[key].side == CENTRE_SIDE:
        return Q(owner_queue=key, owner_user=None)
    return Q(owner_queue=key, owner_department_id=user.department_id) if user.department_id else Q(pk__in=[])


def work_filter(user: User) -> Q:
    """Everything ``user`` owns now (the union of their queues)."""
    found = Q(pk__in=[])
    for key in queue_keys(user):
        found |= queue_filter(user, key)
    return found


def queue_tickets(user: User, key: str) -> QuerySet[Ticket]:
    """The queue, soonest due first (those without a due time after, oldest first)."""
    return (
        Ticket.objects.filter(queue_filter(user, key))
        .select_related("category", "lead_department")
        .order_by(F("owner_due_at").asc(nulls_last=True), "owner_since", "pk")
    )


def work_queues(
    user: User,
    *,
    side: str | None = None,
    page: int = PAGE,
    shape: Callable[[QuerySet[Ticket]], QuerySet[Ticket]] = lambda rows: rows,
) -> list[WorkQueue]:
    """Each queue with its count (maintained: tickets/queue_counts.py) and first page; an empty queue is not read.
    ``shape`` narrows each queue's query to what its reader shows (the ticket's search words are in every row)."""
    counts = queue_counts(user, queue_keys(user, side=side))
    return [
        WorkQueue(key, QUEUES[key].label, count, list(shape(queue_tickets(user, key))[:page]) if count else [])
        for key, count in counts.items()
    ]


def counts_together(querysets: dict[str, QuerySet]) -> dict[str, int]:
    """Each queryset's number of rows, all in one statement: a page's small counts cost it a round trip each, more
    than the counting. The querysets are counted as given (slice one to count no further; unorder one to spare it a
    sort); all are read from the first one's database."""
    if not querysets:
        return {}
    parts: list[str] = []
    params: list[Any] = []
    for queryset in querysets.values():
        try:
            sql, values = queryset.query.sql_with_params()
        except EmptyResultSet:  # a filter that can match nothing (``pk__in=[]``)
            parts.append("0")
            continue
        parts.append(f"(SELECT count(*) FROM ({sql}) AS counted)")  # noqa: S608 - Django's SQL, values as parameters
        params += values
    with connections[next(iter(querysets.values())).db].cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), params)
        row = cursor.fetchone()
    return dict(zip(querysets, row, strict=True))


ASSISTS = {
    "co": _("Co-handling requests"),
    "ledger": _("Ledger entries due"),
}


def assists(user: User) -> dict[str, QuerySet]:
    """Help asked of the user's department on tickets owned by others (not part of anybody's ownership)."""
    from reviews.models import Rectification

    if user.role not in ("handler", "head") or user.department_id is None:
        return {}
    soon = timezone.localdate() + timedelta(days=7)
    return {
        "co": Dispatch.objects.filter(role="co", active=True, replied_at=None, department_id=user.department_id)
        .select_related("ticket")
        .order_by("dispatched_at"),
        "ledger": Rectification.objects.filter(
            department_id=user.department_id,
            report_type="ledger",
            ledger_done_at=None,
            ledger_due_date__lte=soon,
            ticket__owner_queue__gt="",
        )
        .select_related("ticket")
        .order_by("ledger_due_date"),
    }


def assist_counts(helps: dict[str, QuerySet]) -> dict[str, int]:
    """How many of each list of help there are (``assists``), in one statement, without the rows' joins and order."""
    return counts_together({key: queryset.select_related(None).order_by() for key, queryset in helps.items()})


# What a queue row reads of its clock (the light, the overdue days, the provisional badge), in the model's column
# order: ``Model.from_db`` takes the values in that order.
CLOCK_FIELDS = tuple(
    field.attname
    for field in Deadline._meta.concrete_fields
    if field.attname in {"id", "ticket_id", "kind", "state", "due_at", "warn_at", "breached_at", "provisional"}
)
_TICKET, _DUE = CLOCK_FIELDS.index("ticket_id"), CLOCK_FIELDS.index("due_at")


def owner_clocks(tickets: list[Ticket]) -> dict[int, Deadline]:
    """Each ticket's open clock that its owner works against (the one due at ``owner_due_at``), in one query.

    Prefetching every clock of the page cost Django a queryset per ticket (about 4 ms for 50 rows), for one clock
    each that this picks out of two or three. The clocks are read as plain rows and only the picked one becomes a
    model instance: making all of them cost a 50-row page about 1.4 ms of CPU."""
    due = {t.pk: t.owner_due_at for t in tickets if t.owner_due_at is not None}
    if not due:
        return {}
    # By ticket alone (its open clocks are two or three): matching the due times too cost the planner a millisecond.
    rows = Deadline.objects.filter(ticket_id__in=due, state=Deadline.State.OPEN).values_list(*CLOCK_FIELDS)
    return {
        row[_TICKET]: Deadline.from_db(rows.db, CLOCK_FIELDS, row) for row in rows if due[row[_TICKET]] == row[_DUE]
    }


@dataclass
class QueuePage:
    rows: list[Ticket]
    next_after: str | None  # the ``?after=`` of the next page, None on the last


def _cursor(ticket: Ticket) -> str:
    due = ticket.owner_due_at.isoformat() if ticket.owner_due_at else None
    since = ticket.owner_since.isoformat() if ticket.owner_since else None
    return base64.urlsafe_b64encode(json.dumps([due, since, ticket.pk]).encode()).decode().rstrip("=")


def _after(token: str) -> Q:
    """Tickets after the cursor in queue order (due time, nulls last; then waiting since; then id)."""
    try:
        due_raw, since_raw, pk = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
        due = datetime.fromisoformat(due_raw) if due_raw is not None else None
        since = datetime.fromisoformat(since_raw)
        pk = int(pk)
    except (ValueError, TypeError) as error:
        raise DomainError(_("The page link is not valid."), code="invalid_cursor") from error
    later_same = Q(owner_since__gt=since) | Q(owner_since=since, pk__gt=pk)
    if due is None:
        return Q(owner_due_at__isnull=True) & later_same
    return Q(owner_due_at__gt=due) | (Q(owner_due_at=due) & later_same) | Q(owner_due_at__isnull=True)


def queue_page(queryset: QuerySet[Ticket], after: str = "", size: int = PAGE) -> QueuePage:
    """One page of a queue in its order, continuing after ``after``: no queue stops at a fixed number."""
    if after:
        queryset = queryset.filter(_after(after))
    rows = list(queryset[: size + 1])
    more, rows = len(rows) > size, rows[:size]
    return QueuePage(rows, _cursor(rows[-1]) if more and rows else None)


def queue_page_links(params: QueryDict, page: QueuePage, tab: str) -> Page:
    """The page as the shared pager (tickets/_next_page.html) shows it: rel="next" carries ``?after=``."""
    query = params.copy()
    query["tab"] = tab
    if page.next_after:
        query["after"] = page.next_after
    next_query = query.urlencode() if page.next_after else None
    return Page(rows=page.rows, next_query=next_query, prev_query=None, count=len(page.rows), count_capped=False)
