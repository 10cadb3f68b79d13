"""Centre queues: returns to arbitrate, replies to review, extensions and appeals to decide, callbacks due."""

from __future__ import annotations

from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from org.models import User
from org.permissions import role_required
from reviews.models import Appeal, SurveyRound
from tickets.forms import SurveyForm
from tickets.models import Deadline, ExtensionRequest, Ticket

TABS = {
    "callback": _("Callbacks due"),
    "returned": _("Returns to decide"),
    "replies": _("Replies to review"),
    "extensions": _("Extensions to decide"),
    "appeals": _("Appeals to decide"),
}
OPEN_CLOCKS = Prefetch("deadlines", queryset=Deadline.objects.filter(state="open"), to_attr="open_clocks")


def _rows(tab: str) -> list:
    tickets = Ticket.objects.select_related("category", "lead_department").prefetch_related(OPEN_CLOCKS)
    if tab == "returned":
        return list(tickets.filter(status="returned").order_by("updated_at")[:200])
    if tab == "replies":
        return list(tickets.filter(status="replied").order_by("updated_at")[:200])
    if tab == "extensions":
        return list(
            ExtensionRequest.objects.filter(state="pending")
            .select_related("ticket", "dispatch__department")
            .order_by("requested_at")[:200]
        )
    if tab == "appeals":
        return list(
            Appeal.objects.filter(state="awaiting_centre")
            .select_related("ticket", "department", "round")
            .order_by("applied_at")[:200]
        )
    return list(
        SurveyRound.objects.filter(state="open")
        .select_related("ticket", "deadline", "department")
        .order_by("deadline__due_at")[:200]
    )


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
    context = {
        "tabs": [(key, label, counts[key]) for key, label in TABS.items()],
        "tab": tab,
        "rows": _rows(tab),
        "survey_form": SurveyForm(prefix="survey"),
    }
    return render(request, "tickets/queues.html", context)
