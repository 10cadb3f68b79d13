"""The department workbench: the queues the user's department owns now (tickets/owner.py), soonest due first, and
the help asked of it on tickets that others own (co-handling requests, ledger entries).

Every queue starts from the partial index of owned, unfinished tickets, so its cost does not grow with closed
history (bench/workbench_queue.py measures it).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import django_filters
from django import forms
from django.db.models import F, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from org.calendar import DatabaseCalendar, calendar_kept
from org.models import User
from org.permissions import request_user, role_required
from org.selectors import department_subtree
from tickets.filters import ListedChoiceFilter
from tickets.models import Category, Deadline, Ticket
from tickets.owner import DEPARTMENT_SIDE, QUEUES
from tickets.queue_counts import queue_counts
from tickets.search.pages import forward_page
from tickets.templatetags.hotline import light, light_label, overdue_days
from tickets.views.history import department_history
from tickets.work import (
    ASSISTS,
    PAGE,
    assist_counts,
    assists,
    owner_clocks,
    queue_keys,
    queue_page,
    queue_page_links,
    queue_tickets,
)


@dataclass(frozen=True)
class QueueRow:
    """One row of a queue tab, every cell worked out in one pass (the template only places them: its filters and tags
    cost more than the page's queries for 50 rows)."""

    number: str
    url: str
    status: str
    category: str
    content: str
    clock: Deadline | None  # the open clock the owner works against (tickets.work.owner_clocks)
    due: str = ""
    due_iso: str = ""
    colour: str = ""
    light: str = ""
    late: str = ""  # "overdue by N working days", or empty when not overdue


# What a row shows and the next page's cursor needs (tickets.work.queue_page), its category's name annotated beside: a
# queue's ticket has some thirty columns, its search words among them, which the page would otherwise read and build.
ROW_FIELDS = ("number", "status", "content", "owner_due_at", "owner_since")


def _late(days: int) -> str:
    if not days:
        return ""
    return ngettext("overdue by %(n)s working day", "overdue by %(n)s working days", days) % {"n": days}


def queue_rows(tickets: list[Ticket], calendar: DatabaseCalendar) -> list[QueueRow]:
    rows = []
    clocks = owner_clocks(tickets)
    url = reverse("tickets:detail", args=["NUMBER"])  # reversed once: a ticket number is digits alone
    for t in tickets:
        d = clocks.get(t.pk)
        cells: dict[str, Any] = {}
        if d is not None:
            due = timezone.localtime(d.due_at)
            cells = {
                "due": due.strftime("%m-%d %H:%M"),  # Django's "m-d H:i" and "c", without its format parser
                "due_iso": due.isoformat(),
                "colour": light(d),
                "light": light_label(d),
                "late": _late(overdue_days(d, calendar)),
            }
        rows.append(
            QueueRow(
                number=t.number,
                url=url.replace("NUMBER", t.number),
                status=t.get_status_display(),
                category=t.category_name or "",  # type: ignore[attr-defined]  # annotated by the view
                content=Truncator(t.content).chars(40),
                clock=d,
                **cells,
            )
        )
    return rows


class QueueFilter(django_filters.FilterSet):
    category = ListedChoiceFilter(
        queryset=Category.objects.filter(depth=1),
        method="in_category",
        label=_("category"),
        empty_label=_("All categories"),
    )
    urgency = django_filters.ChoiceFilter(
        field_name="urgency", choices=Ticket.Urgency.choices, label=_("urgency"), empty_label=_("Any urgency")
    )
    number = django_filters.CharFilter(
        field_name="number",
        label=_("number"),
        widget=forms.TextInput(attrs={"placeholder": _("Ticket number")}),
    )

    class Meta:
        model = Ticket
        fields: list[str] = []

    def in_category(self, queryset: QuerySet[Ticket], name: str, value: Category) -> QuerySet[Ticket]:
        return queryset.filter(category__path__startswith=value.path)


@role_required(User.Role.HANDLER, User.Role.HEAD)
def workbench(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    keys = queue_keys(user, side=DEPARTMENT_SIDE)
    helps = assists(user)
    tab = request.GET.get("tab", "")
    if tab == "history":  # what the department handled and no longer holds: replied, closed, returned
        assert user.department is not None
        ids = list(department_subtree(user.department).values_list("id", flat=True))
        history = forward_page(department_history(ids), request.GET, sort="-updated_at")
        counts = queue_counts(user, keys)
        context = _context(user, counts, helps, "history", history.rows, None, history)
        return render(request, "tickets/workbench.html", context)
    counts = queue_counts(user, keys)
    if tab not in keys and tab not in helps:
        tab = next((key for key in keys if counts[key]), keys[0])
    if tab in helps:
        rows = list(helps[tab][:PAGE])
        return render(request, "tickets/workbench.html", _context(user, counts, helps, tab, rows))
    filters = QueueFilter(request.GET or None, queryset=queue_tickets(user, tab))
    if filters.is_bound and not filters.is_valid():  # django-filter would drop the bad field and list everything
        context = _context(user, counts, helps, tab, [], filters)
        return render(request, "tickets/workbench.html", context, status=400)
    shown = filters.qs.select_related(None).only(*ROW_FIELDS).annotate(category_name=F("category__name"))
    page = queue_page(shown, request.GET.get("after", ""), PAGE)
    links = queue_page_links(request.GET, page, tab)
    rows = queue_rows(page.rows, calendar_kept())
    return render(request, "tickets/workbench.html", _context(user, counts, helps, tab, rows, filters, links))


def _context(
    user: User,
    counts: dict[str, int],
    helps: dict[str, Any],
    tab: str,
    rows: list[Any],
    filters: Any = None,
    page: Any = None,
) -> dict[str, Any]:
    return {
        "tabs": [(key, QUEUES[key].label, count) for key, count in counts.items()],
        "assist_tabs": [(key, ASSISTS[key], count) for key, count in assist_counts(helps).items()],
        "tab": tab,
        "rows": rows,
        "filters": filters,
        "page": page,
    }
