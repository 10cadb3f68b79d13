"""The department workbench: queues of the user's subtree, soonest deadline first, from open rows only.

Every list starts from an index of open rows (open clocks by department, open co-handling requests, open
rectifications), so its cost does not grow with closed history (bench/workbench_queue.py measures it).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import django_filters
from django import forms
from django.db import connection
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from org.models import User
from org.permissions import role_required
from org.selectors import department_subtree
from reviews.models import Appeal, Rectification
from tickets.models import Category, Deadline, Dispatch, Ticket
from tickets.search.pages import count_capped, forward_page
from tickets.views.history import clock_page, department_history

PAGE = 50
TABS = {
    "response": _("Response due (sign and contact)"),
    "reply": _("Reply due"),
    "sent_back": _("Sent back for rework"),
    "co": _("Co-handling requests"),
    "rect": _("Rectifications"),
    "ledger": _("Ledger entries due"),
    "appeals": _("Appeals for the head"),
    "history": _("History (replied, closed, returned)"),
}


class ClockFilter(django_filters.FilterSet):
    category = django_filters.ModelChoiceFilter(
        queryset=Category.objects.filter(depth=1),
        method="in_category",
        label=_("category"),
        empty_label=_("All categories"),
    )
    urgency = django_filters.ChoiceFilter(
        field_name="ticket__urgency", choices=Ticket.Urgency.choices, label=_("urgency"), empty_label=_("Any urgency")
    )
    number = django_filters.CharFilter(
        field_name="ticket__number",
        label=_("number"),
        widget=forms.TextInput(attrs={"placeholder": _("Ticket number")}),
    )

    class Meta:
        model = Deadline
        fields: list[str] = []

    def in_category(self, queryset: QuerySet[Deadline], name: str, value: Category) -> QuerySet[Deadline]:
        return queryset.filter(ticket__category__path__startswith=value.path)


def _clocks(ids: list[int], kind: str, **more: str) -> QuerySet[Deadline]:
    """Open clocks of the subtree: the partial index deadline_open_queue (or _rework) answers without history."""
    return Deadline.objects.filter(state="open", kind=kind, department_id__in=ids, **more)


def _queues(ids: list[int]) -> dict[str, QuerySet[Any]]:
    soon = timezone.localdate() + timedelta(days=7)
    return {
        "response": _clocks(ids, "response"),
        "reply": _clocks(ids, "reply"),
        "sent_back": _clocks(ids, "reply", cause="send_back"),
        "co": Dispatch.objects.filter(role="co", active=True, replied_at=None, department_id__in=ids),
        "rect": Rectification.objects.filter(department_id__in=ids).exclude(state="done"),
        "ledger": Rectification.objects.filter(
            department_id__in=ids, report_type="ledger", ledger_done_at=None, ledger_due_date__lte=soon
        ),
        "appeals": Appeal.objects.filter(department_id__in=ids, state="awaiting_head"),
        "history": department_history(ids),
    }


def _soonest(clocks: QuerySet[Deadline], ids: list[int], limit: int = PAGE) -> list[Deadline]:
    """The PAGE soonest clocks of the subtree: one ordered index scan per department (UNION ALL of LIMITs), so
    the database never sorts a department's whole backlog; then the rows of that page with their tickets."""
    if not connection.features.supports_slicing_ordering_in_compound:  # SQLite: a small centre, one sort is fine
        return list(clocks.select_related("ticket__category").order_by("due_at", "pk")[:limit])
    parts = [clocks.filter(department_id=pk).order_by("due_at", "pk").values_list("id", "due_at")[:limit] for pk in ids]
    if not parts:
        return []
    union = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    top = sorted(union, key=lambda row: (row[1], row[0]))[:limit]
    rows = Deadline.objects.select_related("ticket__category").in_bulk([pk for pk, _due in top])
    return [rows[pk] for pk, _due in top]


ORDER = {
    "co": "dispatched_at",
    "rect": "opened_at",
    "ledger": "ledger_due_date",
    "appeals": "applied_at",
    "history": "-updated_at",
}


def _badge(rows: QuerySet[Any]) -> str:
    count, more = count_capped(rows)
    return f"{count}+" if more else str(count)


@role_required(User.Role.HANDLER, User.Role.HEAD)
def workbench(request: HttpRequest) -> HttpResponse:
    viewer = request.user
    assert isinstance(viewer, User) and viewer.department is not None
    ids = list(department_subtree(viewer.department).values_list("id", flat=True))
    queues = _queues(ids)
    tab = request.GET.get("tab", "response")
    if tab not in TABS:
        tab = "response"
    rows: QuerySet[Any] = queues[tab]
    filters = ClockFilter(request.GET or None, queryset=rows) if tab in ("response", "reply", "sent_back") else None
    if filters is not None:
        page = clock_page(filters.qs, request.GET, lambda clocks, limit: _soonest(clocks, ids, limit), PAGE)
    else:
        page = forward_page(rows if tab == "history" else rows.select_related("ticket"), request.GET, sort=ORDER[tab])
    context = {
        "tabs": [(key, label, _badge(queues[key])) for key, label in TABS.items()],
        "tab": tab,
        "rows": page.rows,
        "page": page,
        "filters": filters,
        "query": {k: v for k, v in request.GET.items() if k != "tab"},
    }
    return render(request, "tickets/workbench.html", context)
