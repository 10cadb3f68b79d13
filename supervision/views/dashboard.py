"""The supervisors' pages: the overdue dashboard, its lists and their Excel export."""

from __future__ import annotations

from django import forms
from django.http import FileResponse, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hotline.exports import xlsx_response
from hotline.inputs import ascii_int
from org.calendar import calendar_kept
from org.models import Department, User
from org.permissions import role_required
from org.services import audit_record
from supervision.dashboard import dashboard, overdue_cursor, overdue_list, overdue_queryset
from tickets.lights import overdue_working_days
from tickets.models import Deadline
from tickets.permissions import mask_phone
from tickets.selectors import notice_list

R = User.Role


def scoped(request: HttpRequest) -> QueryDict:
    """The list's filters; a head's are kept inside their own subtree (another unit's id falls back to their own)."""
    params = request.GET.copy()
    user = request.user
    assert isinstance(user, User)
    if user.role == R.HEAD and user.department is not None:
        asked = Department.objects.filter(pk=ascii_int(params.get("department", "")) or 0).first()
        if asked is None or not asked.path.startswith(user.department.path):
            params["department"] = str(user.department.pk)
    return params


GROUPS = [
    ("intake", pgettext_lazy("clock", "Intake")),
    ("response", _("Response")),
    ("reply", _("Reply")),
    ("rectification", _("Rectification")),
    ("survey", _("Survey")),
]
BUCKETS = [
    ("1", _("up to 1 working day")),
    ("3", _("1–3 working days")),
    ("7", _("3–7 working days")),
    ("more", _("over 7 working days")),
]


@role_required(R.SUPERVISOR, R.HEAD)
def supervision(request: HttpRequest) -> HttpResponse:
    """The supervisor's home: red and yellow clocks by kind, age and department (with roll-up), latest notices.
    A department head is taken to their own unit's page."""
    if isinstance(request.user, User) and request.user.role == R.HEAD:
        return redirect("supervision-unit")
    context = {
        "title": _("Supervision dashboard"),
        "board": dashboard(),
        "buckets": BUCKETS,
        "groups": GROUPS,
        "notices": notice_list(limit=20),
    }
    return render(request, "supervision/dashboard.html", context)


class OverdueFilters(forms.Form):
    """What a dashboard number's list may be narrowed by. Anything else is refused with the reason (400), not read as
    something else: an unknown light listed the yellow clocks, an unknown clock or age every clock, a bad page link
    the first page, and a department that is not a number failed with a server error."""

    light = forms.ChoiceField(choices=[("red", "red"), ("yellow", "yellow")], required=False, label="")
    group = forms.ChoiceField(choices=GROUPS, required=False, label=_("clock"))
    bucket = forms.ChoiceField(choices=BUCKETS, required=False, label=_("overdue by"))
    department = forms.ModelChoiceField(Department.objects.all(), required=False, label=_("department"))
    after = forms.CharField(required=False, label="")

    def clean_after(self) -> str:
        after: str = self.cleaned_data["after"]
        try:
            if after:
                overdue_cursor(after)
        except ValueError as error:
            raise forms.ValidationError(_("The page link is not valid."), code="invalid_cursor") from error
        return after


def _refused(request: HttpRequest, params: QueryDict, filters: OverdueFilters) -> HttpResponse:
    errors = [f"{field.label}: {error}" if field.label else error for field in filters for error in field.errors]
    context = {"rows": [], "more": None, "query": params, "light": params.get("light", "red"), "errors": errors}
    return render(request, "supervision/overdue.html", context, status=400)


@role_required(R.SUPERVISOR, R.HEAD)
def overdue(request: HttpRequest) -> HttpResponse:
    """The clocks behind a dashboard number; 督办 or 催办 in one click from each row (a head sees their subtree's)."""
    now = timezone.now()
    params = scoped(request)
    filters = OverdueFilters(params)
    if not filters.is_valid():
        return _refused(request, params, filters)
    rows, more = overdue_list(params, now=now)
    calendar = calendar_kept()
    context = {
        "rows": [(d, overdue_working_days(d, calendar, now)) for d in rows],
        "more": more,
        "query": params,
        "light": request.GET.get("light", "red"),
    }
    return render(request, "supervision/overdue.html", context)


@role_required(R.SUPERVISOR, R.HEAD)
def overdue_export(request: HttpRequest) -> HttpResponse | FileResponse:
    """The current list as Excel (all its rows, phones masked), titled for what it is: the overdue list with how many
    working days each is late, or the yellow list (past the warning time, not yet due). The export is written to the
    audit log."""
    now = timezone.now()
    params = scoped(request)
    filters = OverdueFilters(params)
    if not filters.is_valid():
        return _refused(request, params, filters)
    calendar = calendar_kept()
    red = params.get("light", "red") == "red"
    clocks = overdue_queryset(params, now=now).select_related("ticket__caller", "department")
    assert isinstance(request.user, User)
    audit_record(actor=request.user, action="export", target="overdue", detail={"filters": dict(params.items())})
    header = [_("ticket"), _("department"), _("clock"), _("due at")]
    header += [_("Overdue by (working days)")] if red else []
    header += [_("caller"), _("content")]

    def row(d: Deadline) -> list[object]:
        caller = mask_phone(d.ticket.caller.phone) if d.ticket.caller and not d.ticket.confidential else ""
        late = [overdue_working_days(d, calendar, now)] if red else []
        due = timezone.localtime(d.due_at).strftime("%Y-%m-%d %H:%M")
        name = d.department.name if d.department else ""
        return [d.ticket.number, name, str(d.get_kind_display()), due, *late, caller, d.ticket.content]

    rows = (row(d) for d in clocks.order_by("due_at", "pk").iterator(chunk_size=2000))
    title = _("Overdue") if red else _("Due soon")
    stem = "overdue" if red else "due-soon"
    widths = [18, 24, 10, 18] + ([12] if red else []) + [14, 60]
    return xlsx_response(
        f"{stem}-{timezone.localtime(now):%Y%m%d-%H%M}.xlsx",
        str(title),
        [str(h) for h in header],
        rows,
        widths=widths,
    )
