"""热点: the supervisors' list of hot spots (label, sparkline, tickets) and the operator's merge of a group's open
tickets as repeats. Kept in its own module and templates so it can move to supervision/ as it is."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext

from hotline.errors import DomainError
from learning.hotspots.refresh import hotspot_merge
from learning.models import Hotspot
from org.models import User
from org.permissions import request_user, role_required

VIEWERS = (User.Role.SUPERVISOR, User.Role.OPERATOR, User.Role.REVIEWER, User.Role.ADMIN)
MERGERS = (User.Role.OPERATOR, User.Role.REVIEWER)
WIDTH, HEIGHT = 120, 24


@dataclass(frozen=True)
class Row:
    hotspot: Hotspot
    sparkline: str  # SVG polyline points

    @property
    def open_count(self) -> int:
        return sum(1 for t in self.hotspot.tickets.all() if t.owner_queue)


def sparkline(daily: list[int]) -> str:
    if not daily:
        return ""
    top = max(daily) or 1
    step = WIDTH / max(len(daily) - 1, 1)
    return " ".join(f"{i * step:.1f},{HEIGHT - 2 - (n / top) * (HEIGHT - 4):.1f}" for i, n in enumerate(daily))


@role_required(*VIEWERS)
def hotspot_list(request: HttpRequest) -> HttpResponse:
    hotspots = (
        Hotspot.objects.filter(active=True)
        .prefetch_related("tickets__category")
        .order_by("-size", "-growth", "-callers", "-last_at")[:50]
    )
    rows = [Row(h, sparkline(h.daily)) for h in hotspots]
    can_merge = request_user(request).role in MERGERS
    return render(request, "learning/hotspots/list.html", {"rows": rows, "can_merge": can_merge})


@role_required(*MERGERS)
def hotspot_merge_view(request: HttpRequest, pk: int) -> HttpResponse:
    if request.method != "POST":
        return redirect("learning:hotspots")
    get_object_or_404(Hotspot, pk=pk, active=True)
    try:
        result = hotspot_merge(hotspot_id=pk, actor=request_user(request))
    except DomainError as error:
        messages.error(request, str(error.message))
        return redirect("learning:hotspots")
    messages.success(
        request,
        gettext("%(count)s tickets merged into %(main)s as repeats.")
        % {"count": len(result.merged), "main": result.main.number},
    )
    return redirect("learning:hotspots")
