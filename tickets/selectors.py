"""Reads with visibility rules: the viewer's scope first, then the filters; no query per row."""

from __future__ import annotations

from datetime import datetime
from typing import Any, NamedTuple

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _

from hotline.errors import DomainError, NotFound
from org.models import User
from org.services import audit_record
from tickets import permissions
from tickets.filters import TicketFilter
from tickets.models import Deadline, SupervisionNotice, Ticket
from tickets.search.box import by_words
from tickets.search.pages import Windows
from tickets.search.words import full_text


def ticket_list(*, viewer: User, filters: dict[str, Any] | None = None) -> QuerySet[Ticket]:
    """Tickets the viewer may find (a department: its subtree's, past ones included), filtered and searched with
    ``q``: a number or its start, a phone in any writing, a caller's name, or words of the content or address."""
    return _filterset(viewer, filters).qs


class Search(NamedTuple):
    """A search read in windows of the time of receipt: ``rows`` to page through, ``counted`` to count (the same
    tickets, see ticket_list_search)."""

    rows: Windows
    counted: Windows


def ticket_list_search(*, viewer: User, filters: dict[str, Any] | None = None) -> Search:
    """ticket_list for a reader in windows of the time of receipt (tickets/search/pages.py): called with a window,
    the same tickets for those received in it, found through a smaller index lookup (tickets/search/words.py). The
    filters are validated once; each window only applies them again.

    ``counted`` gives the same tickets for counting them only. A department's search by words on PostgreSQL then
    takes its scope from the words alone: the word lookup already ANDs the units' words, which a ticket has exactly
    when it was ever dispatched to one of the units (the dispatch trigger writes them, the database refuses to delete
    or move a dispatch, and the life-cycle property test checks it after every step), and a caller's name is checked
    against the units in box_filter; so the per-row dispatch check, which costs more than the rest of a page when a
    thousand matches are counted, is left to the rows that are shown."""
    filterset = _filterset(viewer, filters)

    def windows(base: QuerySet[Ticket]) -> Windows:
        def within(start: datetime | None, end: datetime | None) -> QuerySet[Ticket]:
            filterset.window = (start, end) if start is not None or end is not None else None
            return filterset.filter_queryset(base.all())

        return within

    rows = windows(filterset.queryset)
    if filterset.scope_units and full_text() and by_words((filters or {}).get("q") or ""):
        return Search(rows, windows(Ticket.objects.all()))
    return Search(rows, rows)


def _filterset(viewer: User, filters: dict[str, Any] | None) -> TicketFilter:
    queryset = permissions.history_tickets(viewer).select_related("category", "lead_department", "caller")
    queryset = queryset.defer("search_vector")  # the words are for the index, never for a list
    queryset = queryset.prefetch_related(
        Prefetch("deadlines", queryset=Deadline.objects.filter(state=Deadline.State.OPEN), to_attr="open_deadlines")
    )
    filterset = TicketFilter(filters or {}, queryset=queryset)
    filterset.confidential_callers = permissions.may_see_confidential(viewer)
    filterset.scope_units = permissions.scope_units(viewer)
    if not filterset.is_valid():
        raise DomainError(_("The filter is not valid."), code="invalid_filter")
    return filterset


def ticket_get(*, viewer: User, number: str, past: bool = False) -> Ticket:
    """A ticket in the viewer's scope; with ``past``, also one their department handled before (read only)."""
    scope = permissions.history_tickets(viewer) if past else permissions.visible_tickets(viewer)
    ticket = (
        scope.select_related("category", "lead_department", "caller", "area", "merged_into", "received_by")
        .filter(number=number)
        .first()
    )
    if ticket is None:
        raise NotFound(_("No such ticket."))
    return ticket


def caller_for(*, viewer: User, ticket: Ticket) -> dict[str, str] | None:
    """The caller as this viewer may see it. Every unmasked view of a phone number writes an audit row."""
    caller = ticket.caller
    if caller is None:
        return None
    if not permissions.may_see_caller(viewer, ticket):
        return masked_caller(ticket)
    if caller.phone:
        audit_record(actor=viewer, action="caller_phone_view", target=f"ticket:{ticket.number}")
    return {"name": caller.name, "phone": caller.phone}


def masked_caller(ticket: Ticket) -> dict[str, str] | None:
    """Lists and exports always mask the caller (and hide a confidential one)."""
    if ticket.caller is None:
        return None
    if ticket.confidential:
        return {"name": "", "phone": "", "hidden": "confidential"}
    name = ticket.caller.name
    return {"name": name[:1] + "*" if name else "", "phone": permissions.mask_phone(ticket.caller.phone)}


def notice_list(*, limit: int) -> QuerySet[SupervisionNotice]:
    return SupervisionNotice.objects.select_related("ticket", "department", "deadline").order_by("-issued_at")[:limit]
