"""The console's suggestion panel (htmx) and the supervisors' page of the model's versions and acceptance."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from hotline.errors import DomainError
from hotline.inputs import ascii_int
from learning.suggest.routing import acceptance, routing_suggest
from org.models import User
from org.permissions import role_required


@role_required(User.Role.OPERATOR, User.Role.REVIEWER)
def console_suggestions(request: HttpRequest) -> HttpResponse:
    raw_area = request.GET.get("area") or None
    area = ascii_int(raw_area)
    if raw_area and area is None:
        raise DomainError(_("Not a valid number."), code="invalid_number")
    found = routing_suggest(request.GET.get("content", "")[:4000], area)
    return render(request, "learning/console/_suggestions.html", {"found": found})


@role_required(User.Role.SUPERVISOR, User.Role.ADMIN)
def suggestion_acceptance(request: HttpRequest) -> HttpResponse:
    return render(request, "learning/suggestions.html", {"figures": acceptance()})
