"""The one search box: a ticket number or its start, a phone number in any writing, a caller's name, or words.

All digits: the start of a ticket number (a range on the unique index), or, when it is also a valid phone number,
that caller's tickets too. A phone written with +86, spaces, dashes or full-width digits: that caller's tickets.
Anything else: the caller's exact name, or every word in the content or the address (tickets/search/words.py).
"""

from __future__ import annotations

import unicodedata

from django.db.models import Exists, OuterRef, Q, QuerySet

from hotline.phones import phone_key
from tickets.models import Caller, Dispatch, Ticket
from tickets.search.words import Window, words_filter

NUMBER_LENGTH = 14
MAX_CALLERS = 1000  # a name shared by more callers than this is not how one finds a caller


def number_range(prefix: str) -> Q:
    """Numbers starting with ``prefix``: [prefix000…, (prefix+1)000…) on the unique index, in any collation."""
    if len(prefix) >= NUMBER_LENGTH:
        return Q(number=prefix[:NUMBER_LENGTH])
    upper = str(int(prefix) + 1).zfill(len(prefix))
    return Q(number__gte=prefix, number__lt=upper)


def _callers(**lookup: str) -> list[int]:
    """The callers' ids first (one indexed lookup), so that the ticket query can OR two index scans (BitmapOr)
    instead of running a subquery per row."""
    return list(Caller.objects.filter(**lookup).values_list("pk", flat=True)[:MAX_CALLERS])


def by_words(text: str) -> bool:
    """Whether the box searches ``text`` by words (whose matches the index finds regardless of time, so that a page
    of them is read in windows of time: pages.py), not by a ticket number or a phone number (a narrow index range)."""
    q = unicodedata.normalize("NFKC", text).strip()
    return bool(q) and not _is_number(_compact(q)) and not phone_key(q)


def _compact(q: str) -> str:
    return q.replace(" ", "").replace("-", "")


def _is_number(compact: str) -> bool:
    return compact.isdigit() and len(compact) >= 4


def box_filter(
    queryset: QuerySet[Ticket],
    text: str,
    *,
    confidential_callers: bool = True,
    units: list[int] | None = None,
    window: Window | None = None,
) -> QuerySet[Ticket]:
    """``confidential_callers`` False (a department): a name or phone never finds a confidential caller's ticket.
    ``units``: the viewer's departments (None: every ticket), folded into a word search's index lookup, and checked
    against the tickets of a caller's name, so that a search by words or name keeps to them on PostgreSQL even on an
    unscoped queryset (a count: selectors.ticket_list_search); ``window``: the time of receipt the caller reads
    (words.words_filter)."""
    q = unicodedata.normalize("NFKC", text).strip()  # full-width digits and letters as plain ones
    if not q:
        return queryset
    compact = _compact(q)
    phone = phone_key(q)
    of_caller = Q() if confidential_callers else Q(confidential=False)
    if _is_number(compact):
        condition = number_range(compact)
        if phone:
            condition |= Q(caller_id__in=_callers(phone=phone)) & of_caller
        return queryset.filter(condition)
    if phone:
        return queryset.filter(of_caller, caller_id__in=_callers(phone=phone))
    # Each arm of a search by words keeps to ``units`` itself: a department's count runs on an unscoped queryset
    # (selectors.ticket_list_search's ``counted``), tests/tickets/test_search_count_scope.py.
    by_words = words_filter(queryset, q, units, window)
    named = _callers(name=q) if len(q) <= 10 else []  # a name: 王先生, 李建国
    if named:
        of_units = (
            Q() if units is None else Exists(Dispatch.objects.filter(ticket=OuterRef("pk"), department_id__in=units))
        )
        return by_words | queryset.filter(of_caller, of_units, caller_id__in=named)
    return by_words
