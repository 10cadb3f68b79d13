"""Centre queues: what the centre owns now (tickets/owner.py), one tab per queue the user's role works."""

from __future__ import annotations

from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from org.models import User
from org.permissions import request_user, role_required
from reviews.models import SurveyRound
from tickets.forms import SurveyForm
from tickets.models import Deadline
from tickets.owner import CENTRE_SIDE, QUEUES
from tickets.queue_counts import queue_counts
from tickets.work import PAGE, queue_keys, queue_page, queue_page_links, queue_tickets

OPEN_CLOCKS = Prefetch("deadlines", queryset=Deadline.objects.filter(state="open"), to_attr="open_clocks")
OPEN_ROUND = Prefetch("survey_rounds", queryset=SurveyRound.objects.filter(state="open"), to_attr="open_rounds")


@role_required(User.Role.REVIEWER, User.Role.OPERATOR)
def centre_queues(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    keys = queue_keys(user, side=CENTRE_SIDE)
    tab = request.GET.get("tab", "")
    if tab not in keys:
        tab = "survey" if "survey" in keys else keys[0]
    rows = queue_tickets(user, tab).prefetch_related(OPEN_CLOCKS, OPEN_ROUND, "extensions", "dispatches")
    page = queue_page(rows, request.GET.get("after", ""), PAGE)
    context = {
        "tabs": [(key, QUEUES[key].label, count) for key, count in queue_counts(user, keys).items()],
        "tab": tab,
        "rows": page.rows,
        "page": queue_page_links(request.GET, page, tab),
        "survey_form": SurveyForm(prefix="survey"),
    }
    return render(request, "tickets/queues.html", context)
