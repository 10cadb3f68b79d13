"""Centre queues: returns to arbitrate, replies to review, extensions and appeals to decide, callbacks due."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from org.models import User
from org.permissions import role_required
from reviews.models import Appeal, SurveyRound
from tickets.forms import SurveyForm
from tickets.models import Deadline, ExtensionRequest, Ticket
from tickets.search.pages import forward_page

TABS = {
    "callback": _("Callbacks due"),
    "returned": _("Returns to decide"),
    "replies": _("Replies to review"),
    "extensions": _("Extensions to decide"),
    "appeals": _("Appeals to decide"),
}
OPEN_CLOCKS = Prefetch("deadlines", queryset=Deadline.objects.filter(state="open"), to_attr="open_clocks")


def _rows(tab: str) -> tuple[QuerySet[Any], str]:
    """A queue's rows and the order it is read in (paged by tickets.search.pages.forward_page, never capped)."""
    tickets = Ticket.objects.select_related("category", "lead_department").prefetch_related(OPEN_CLOCKS)
    if tab == "returned":
        return tickets.filter(status="returned"), "updated_at"
    if tab == "replies":
        return tickets.filter(status="replied"), "updated_at"
    if tab == "extensions":
        return ExtensionRequest.objects.filter(state="pending").select_related("ticket", "dispatch__department"), (
            "requested_at"
        )
    if tab == "appeals":
        return Appeal.objects.filter(state="awaiting_centre").select_related("ticket", "department", "round"), (
            "applied_at"
        )
    # Callbacks in the order they were opened: each survey clock runs the same days, so this is their due order.
    return SurveyRound.objects.filter(state="open").select_related("ticket", "deadline", "department"), "opened_at"


@role_required(User.Role.REVIEWER, User.Role.OPERATOR)
def centre_queues(request: HttpRequest) -> HttpResponse:
    tab = request.GET.get("tab", "callback")
    if tab not in TABS:
        tab = "callback"
    counts = {
        "callback": SurveyRound.objects.filter(state="open").count(),
        "returned": Ticket.objects.filter(status="returned").count(),
        "replies": Ticket.objects.filter(status="replied").count(),
        "extensions": ExtensionRequest.objects.filter(state="pending").count(),
        "appeals": Appeal.objects.filter(state="awaiting_centre").count(),
    }
    rows, sort = _rows(tab)
    page = forward_page(rows, request.GET, sort=sort)
    context = {
        "tabs": [(key, label, counts[key]) for key, label in TABS.items()],
        "tab": tab,
        "rows": page.rows,
        "page": page,
        "survey_form": SurveyForm(prefix="survey"),
    }
    return render(request, "tickets/queues.html", context)
