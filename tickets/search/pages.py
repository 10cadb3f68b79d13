"""Keyset pages: ``?after=`` / ``?before=`` carry the last row's sort value and id, so page 10,000 costs what page 1
costs and a row never appears twice or goes missing when new tickets arrive. Links are marked rel="next"/"prev"."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Q, QuerySet
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hotline.errors import DomainError

PAGE_SIZE = 50
MAX_PAGE_SIZE = 200
WINDOWS = (timedelta(days=7), timedelta(days=60), timedelta(days=366), None)
SURELY_MORE = 20  # the planner's estimate of a word's rows is good to well within this factor
Windows = Callable[[datetime | None, datetime | None], QuerySet[Any]]
"""A search narrowed to the tickets received in [start, end] (None: open on that side), for a reader that filters on
the time itself: inside the window its rows are the whole search's (tickets.selectors.ticket_list_search)."""
COUNT_CAP = 1_000  # past this the count says "more than 1,000": cheap for frequent words too (bench/search.py)


@dataclass
class Page:
    rows: list[Any]
    next_query: str | None
    prev_query: str | None
    count: int
    count_capped: bool


def cursor_encode(value: Any, pk: int) -> str:
    raw = value.isoformat() if isinstance(value, datetime) else value
    return base64.urlsafe_b64encode(json.dumps([raw, pk]).encode()).decode().rstrip("=")


def cursor_decode(token: str, is_time: bool) -> tuple[Any, int]:
    try:
        value, pk = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
        return (datetime.fromisoformat(value) if is_time and value is not None else value), int(pk)
    except (ValueError, TypeError, json.JSONDecodeError) as error:
        raise DomainError(_("The page link is not valid."), code="invalid_cursor") from error


def beyond(field: str, descending: bool, value: Any, pk: int) -> Q:
    """Rows after (value, pk) in the order (field, pk), both ascending or both descending."""
    op = "lt" if descending else "gt"
    return Q(**{f"{field}__{op}": value}) | Q(**{field: value, f"pk__{op}": pk})


def _rows(queryset: QuerySet[Any], order: list[str], limit: int) -> list[Any]:
    """The page's ids first (the sort carries only ids and the sort key, not whole rows with their long texts),
    then those rows with what the queryset selects and prefetches, in the same order."""
    ids = list(queryset.order_by(*order).values_list("pk", flat=True)[:limit])
    return _by_ids(queryset, ids)


def _by_ids(queryset: QuerySet[Any], ids: list[int]) -> list[Any]:
    rows = {row.pk: row for row in queryset.order_by().filter(pk__in=ids)}
    return [rows[pk] for pk in ids]


def _rows_windowed(windows: Windows, narrow: Q, order: list[str], limit: int, start: datetime | None) -> list[Any]:
    """Like _rows for a search in time order (``order`` on created_at), read in windows of time going away from
    ``start`` (the cursor, or the newest ticket): 7 days, then 60, then a year, then the rest, until the page is full.

    A word's index lookup knows nothing of time: sorting all of a common word's matches to show the newest 50 reads
    every match (hundreds of thousands at 10 million tickets). A window bounds the work by the matches inside it,
    and a frequent word fills the page from the first one (bench/search.py). ``windows`` gives the search narrowed to
    each window (a department's words of those months: tickets/search/words.py); ``narrow`` is the cursor's
    condition. The order and the rows are those of _rows: the windows are disjoint and follow each other in the sort
    order."""
    descending = order[0].startswith("-")
    ids: list[int] = []
    for part in _parts(windows, start, descending):
        ids += part.filter(narrow).order_by(*order).values_list("pk", flat=True)[: limit - len(ids)]
        if len(ids) >= limit:
            break
    return _by_ids(windows(None, None), ids)


def _parts(windows: Windows, start: datetime | None, descending: bool) -> Iterator[QuerySet[Any]]:
    """The search in each window going away from ``start`` (or from the newest ticket, newest first), in order.

    The window on the side of ``start`` is open there (the cursor's condition bounds it, rows at ``start`` itself
    included), and the last one is open on the far side: together they cover all time exactly once."""
    edge = start or _newest(windows(None, None))
    inner: datetime | None = None
    for span in WINDOWS:
        outer = None if span is None else (edge - span if descending else edge + span)
        near = inner if inner is not None else start  # without a cursor, the newest: up to now, whatever arrives
        lower, upper = (outer, near) if descending else (near, outer)
        part = windows(lower, upper)
        if inner is not None:
            part = part.filter(**{"created_at__lt" if descending else "created_at__gte": inner})
        if outer is not None:
            part = part.filter(**{"created_at__gte" if descending else "created_at__lt": outer})
        yield part
        inner = outer


def _newest(queryset: QuerySet[Any]) -> datetime:
    """Where windows start without a cursor: the newest ticket's time (one step down the time index), which is now in
    a centre taking calls, and also right for history that stops earlier (an import, a quiet night)."""
    newest = queryset.model._default_manager.order_by("-created_at").values_list("created_at", flat=True).first()
    return newest or timezone.now()


def newest_window(windows: Windows, edge: datetime | None, need: int) -> QuerySet[Any]:
    """The search narrowed to the shortest window of time before ``edge`` (or the newest ticket) that holds ``need``
    rows, so that a page read newest first from it is the same page, found without sorting every match; the whole
    search when no window of a year holds that many (for pagers that read one query, like the API's: see
    _rows_windowed)."""
    top = edge or _newest(windows(None, None))
    for span in WINDOWS[:-1]:
        assert span is not None
        bound = top - span
        part = windows(bound, edge).filter(created_at__gte=bound)
        probe = part.filter(created_at__lte=edge) if edge is not None else part
        if probe.order_by()[:need].count() >= need:
            return part
    return windows(None, None)


def count_capped(queryset: QuerySet[Any], cap: int = COUNT_CAP, windows: Windows | None = None) -> tuple[int, bool]:
    """The total, or ``cap`` and True when there are more (counting past a cap costs more than it tells).

    On PostgreSQL, when the planner expects far more rows than the cap (a frequent word), the answer is "more than
    ``cap``" without counting: reading the first thousand matches of a common word through the table costs more
    than the whole page (bench/search.py). ``windows`` (a search, ``queryset`` being all of it): counted window by
    window from the newest, each through its smaller lookup, until past the cap."""
    unordered = queryset.order_by()
    if connection.vendor == "postgresql" and _estimated_rows(unordered) > cap * SURELY_MORE:
        return cap, True
    if windows is None:
        count = unordered[: cap + 1].count()
    else:
        count = 0
        for part in _parts(windows, None, descending=True):
            count += part.order_by()[: cap + 1 - count].count()
            if count > cap:
                break
    return min(count, cap), count > cap


def _estimated_rows(queryset: QuerySet[Any]) -> float:
    try:
        plan = json.loads(queryset.explain(format="json"))
    except (ValueError, EmptyResultSet):
        return 0
    return float(plan[0]["Plan"]["Plan Rows"])


def page_size(params: QueryDict) -> int:
    """``?page_size=`` (1 to 200), else 50."""
    raw = params.get("page_size", "")
    return min(max(int(raw), 1), MAX_PAGE_SIZE) if raw.isdigit() else PAGE_SIZE


def keyset_page(
    queryset: QuerySet[Any],
    params: QueryDict,
    *,
    sort: str,
    windows: Windows | None = None,
    counted: Windows | None = None,
) -> Page:
    """One page of ``queryset`` ordered by ``sort`` ("-created_at", "number", …) then id. ``windows``: the
    queryset is a search whose matches the index finds regardless of time, and this gives it narrowed to a window of
    time; it is read window by window (_rows_windowed) when sorted by the time of receipt. ``counted``: the same
    search for counting (selectors.ticket_list_search's ``counted``), else ``windows``."""
    size = page_size(params)
    descending, field = sort.startswith("-"), sort.lstrip("-")
    is_time = field.endswith("_at")
    order = [sort, "-pk" if descending else "pk"]
    windowed = windows if field == "created_at" else None

    def rows_of(narrow: Q, order: list[str], start: Any) -> list[Any]:
        if windowed is not None and (start is not None or order[0].startswith("-")):
            return _rows_windowed(windowed, narrow, order, size + 1, start)
        return _rows(queryset.filter(narrow), order, size + 1)

    before, after = params.get("before"), params.get("after")
    if before:
        value, pk = cursor_decode(before, is_time)
        flipped = [o[1:] if o.startswith("-") else f"-{o}" for o in order]
        rows = rows_of(beyond(field, not descending, value, pk), flipped, value)
        has_more_before, rows = len(rows) > size, rows[:size][::-1]
        has_more_after = True
    else:
        value, pk = cursor_decode(after, is_time) if after else (None, 0)
        rows = rows_of(beyond(field, descending, value, pk) if after else Q(), order, value)
        has_more_after, rows = len(rows) > size, rows[:size]
        has_more_before = bool(after)
    count, capped = count_capped(queryset, windows=counted or windows)
    return Page(
        rows=rows,
        next_query=_link(params, "after", rows[-1], field) if rows and has_more_after else None,
        prev_query=_link(params, "before", rows[0], field) if rows and has_more_before else None,
        count=count,
        count_capped=capped,
    )


def _link(params: QueryDict, key: str, row: Any, field: str) -> str:
    query = params.copy()
    query.pop("after", None)
    query.pop("before", None)
    value = row
    for part in field.split("__"):  # "deadline__due_at": through the relation
        value = getattr(value, part)
    query[key] = cursor_encode(value, row.pk)
    return query.urlencode()


def forward_page(queryset: QuerySet[Any], params: QueryDict, *, sort: str, size: int = PAGE_SIZE) -> Page:
    """A queue's page: ``?after=`` only, rel="next" to go on (a queue is read from its head)."""
    descending, field = sort.startswith("-"), sort.lstrip("-")
    after = params.get("after")
    if after:
        queryset = queryset.filter(beyond(field, descending, *cursor_decode(after, field.endswith("_at"))))
    rows = _rows(queryset, [sort, "-pk" if descending else "pk"], size + 1)
    more, rows = len(rows) > size, rows[:size]
    return Page(
        rows=rows,
        next_query=_link(params, "after", rows[-1], field) if more else None,
        prev_query=None,
        count=len(rows),
        count_capped=False,
    )


def next_after(params: QueryDict, row: Any, field: str) -> str:
    """The query string of the page after ``row`` (for lists paged their own way, like the workbench's)."""
    return _link(params, "after", row, field)
