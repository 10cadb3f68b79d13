"""Role home pages. Each is filled by its own issue (console, workbench, supervision); here they show scope."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from org.models import User
from org.permissions import role_required
from org.selectors import department_list
from tickets.selectors import notice_list, overdue_counts

R = User.Role


def _role_home(request: HttpRequest, title: StrOrPromise, intro: StrOrPromise) -> HttpResponse:
    viewer = request.user
    assert isinstance(viewer, User)
    context = {"title": title, "intro": intro, "scope_count": department_list(viewer=viewer).count()}
    return render(request, "tickets/role_home.html", context)


@role_required(R.SUPERVISOR)
def supervision(request: HttpRequest) -> HttpResponse:
    """Overdue clocks by kind and the latest supervision notices (the full dashboard is its own issue)."""
    context = {
        "title": _("Supervision dashboard"),
        "intro": _("What is overdue, what is about to be, and how departments rank."),
        "overdue": overdue_counts(),
        "notices": notice_list(limit=20),
    }
    return render(request, "tickets/supervision.html", context)
