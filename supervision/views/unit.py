"""A department head's own page: their subtree's rates, red and yellow clocks, bad reviews and their units' figures."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from hotline.inputs import month_param
from org.models import Department, User
from org.permissions import role_required
from reviews.models import SurveyRound
from supervision.dashboard import dashboard
from supervision.rates import RATE_NAMES, Rate, month_period, rates_by_department, subtree_sum, total
from supervision.views.dashboard import BUCKETS, GROUPS
from supervision.views.figures import RATE_LABELS

BAD_REVIEWS_SHOWN = 20


def _labelled(figures: dict[str, Rate]) -> list[tuple[str, Rate]]:
    return [(str(RATE_LABELS[name]), figures[name]) for name in RATE_NAMES]


@role_required(User.Role.HEAD)
def unit(request: HttpRequest) -> HttpResponse:
    """The head's unit as of now for the chosen month: the same figures and drill-down as the supervisor's, limited to
    the subtree below their department."""
    user = request.user
    assert isinstance(user, User)
    if user.department is None:
        raise PermissionDenied
    mine = user.department
    month = month_param(request.GET.get("month"))
    start, end = month_period(month)
    rows = rates_by_department(start=start, end=end, within=mine)
    children = list(mine.get_children().order_by("path"))
    summed = subtree_sum(rows, children)
    bad = (
        SurveyRound.objects.filter(
            state=SurveyRound.State.ANSWERED,
            rating__lte=2,
            department_id__in=Department.objects.filter(path__startswith=mine.path).values("pk"),
        )
        .select_related("ticket", "department", "rectification")
        .order_by("-answered_at")[:BAD_REVIEWS_SHOWN]
    )
    context = {
        "unit": mine,
        "month": month,
        "rates": _labelled(total(rows)),
        "labels": [str(RATE_LABELS[name]) for name in RATE_NAMES],
        "children": [(child, [summed[child.pk][name] for name in RATE_NAMES]) for child in children],
        "board": dashboard(within=mine),
        "groups": GROUPS,
        "buckets": BUCKETS,
        "bad_reviews": bad,
    }
    return render(request, "supervision/unit.html", context)
