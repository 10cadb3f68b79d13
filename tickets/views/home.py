"""The supervisors' pages: the overdue dashboard, its lists and their Excel export."""

from __future__ import annotations

from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from org.calendar import DatabaseCalendar
from org.models import User
from org.permissions import role_required
from org.services import audit_record
from tickets.dashboard import dashboard, overdue_list, overdue_queryset
from tickets.exports import xlsx_response
from tickets.lights import overdue_working_days
from tickets.permissions import mask_phone
from tickets.selectors import notice_list

R = User.Role


@role_required(R.SUPERVISOR)
def supervision(request: HttpRequest) -> HttpResponse:
    """The supervisor's home: red and yellow clocks by kind, age and department (with roll-up), latest notices."""
    context = {
        "title": _("Supervision dashboard"),
        "board": dashboard(),
        "buckets": [
            ("1", _("up to 1 working day")),
            ("3", _("1–3 working days")),
            ("7", _("3–7 working days")),
            ("more", _("over 7 working days")),
        ],
        "groups": [
            ("intake", pgettext_lazy("clock", "Intake")),
            ("response", _("Response")),
            ("reply", _("Reply")),
            ("rectification", _("Rectification")),
            ("survey", _("Survey")),
        ],
        "notices": notice_list(limit=20),
    }
    return render(request, "tickets/supervision.html", context)


@role_required(R.SUPERVISOR)
def overdue(request: HttpRequest) -> HttpResponse:
    """The clocks behind a dashboard number; 督办 or 催办 in one click from each row."""
    now = timezone.now()
    rows, more = overdue_list(request.GET, now=now)
    calendar = DatabaseCalendar()
    context = {
        "rows": [(d, overdue_working_days(d, calendar, now)) for d in rows],
        "more": more,
        "query": request.GET.copy(),
        "light": request.GET.get("light", "red"),
    }
    return render(request, "tickets/overdue.html", context)


@role_required(R.SUPERVISOR)
def overdue_export(request: HttpRequest) -> FileResponse:
    """The current overdue list as Excel (all its rows, phones masked); the export is written to the audit log."""
    now = timezone.now()
    calendar = DatabaseCalendar()
    clocks = overdue_queryset(request.GET, now=now).select_related("ticket__caller", "department")
    assert isinstance(request.user, User)
    audit_record(actor=request.user, action="export", target="overdue", detail={"filters": dict(request.GET.items())})
    header = [
        _("ticket"),
        _("department"),
        _("clock"),
        _("due at"),
        _("Overdue by (working days)"),
        _("caller"),
        _("content"),
    ]
    rows = (
        [
            d.ticket.number,
            d.department.name if d.department else "",
            str(d.get_kind_display()),
            timezone.localtime(d.due_at).strftime("%Y-%m-%d %H:%M"),
            overdue_working_days(d, calendar, now),
            mask_phone(d.ticket.caller.phone) if d.ticket.caller and not d.ticket.confidential else "",
            d.ticket.content,
        ]
        for d in clocks.order_by("due_at", "pk").iterator(chunk_size=2000)
    )
    return xlsx_response(f"overdue-{now:%Y%m%d-%H%M}.xlsx", str(_("Overdue")), [str(h) for h in header], rows)
