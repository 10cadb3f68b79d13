"""/tickets/: find any ticket in the viewer's scope; sortable columns, keyset pages, saved views, Excel export."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from hotline.errors import DomainError
from hotline.exports import xlsx_response
from org.models import User
from org.permissions import request_user
from org.services import audit_record
from tickets.filters import TicketFilter
from tickets.models import SavedSearch, Ticket
from tickets.search.box import by_words
from tickets.search.pages import keyset_page
from tickets.selectors import masked_caller, ticket_list_search

COLUMNS = {  # sortable columns: the query value and the model field
    "number": ("number", _("number")),
    "created": ("created_at", _("received at")),
    "status": ("status", _("status")),
    "kind": ("kind", _("kind")),
    "channel": ("channel", _("channel")),
}
PAGING = ("after", "before", "format")


class SaveForm(forms.Form):
    name = forms.CharField(label=_("name of this view"), max_length=60)


def _sort(params: QueryDict) -> tuple[str, str]:
    """("-created", "-created_at") from ?sort=…; newest first by default."""
    key = params.get("sort", "-created")
    name = key.lstrip("-")
    if name not in COLUMNS:
        key, name = "-created", "created"
    return key, ("-" if key.startswith("-") else "") + COLUMNS[name][0]


def _filters(params: QueryDict) -> QueryDict:
    filters = params.copy()
    for k in (*PAGING, "sort", "page_size"):
        filters.pop(k, None)
    return filters


def _headers(params: QueryDict, key: str) -> list[dict[str, Any]]:
    headers = []
    for name, (_field, label) in COLUMNS.items():
        query = params.copy()
        for k in PAGING:
            query.pop(k, None)
        current = key.lstrip("-") == name
        query["sort"] = name if current and key.startswith("-") else f"-{name}"
        headers.append({"label": label, "query": query.urlencode(), "current": current, "desc": key.startswith("-")})
    return headers


@login_required
def ticket_search(request: HttpRequest) -> HttpResponse | FileResponse:
    viewer = request_user(request)
    params = request.GET
    key, sort = _sort(params)
    filterset = TicketFilter(params or None, queryset=Ticket.objects.none())
    try:
        search = ticket_list_search(viewer=viewer, filters=_filters(params))
        tickets = search.rows(None, None)
        if params.get("format") == "xlsx":
            return _export(viewer, tickets.order_by(sort, "pk"), params)
        if by_words(params.get("q", "")):
            page = keyset_page(tickets, params, sort=sort, windows=search.rows, counted=search.counted)
        else:
            page = keyset_page(tickets, params, sort=sort)
    except DomainError as error:
        messages.error(request, str(error.message))
        return render(request, "tickets/search.html", {"filter": filterset, "page": None}, status=400)
    export = params.copy()
    for k in PAGING:
        export.pop(k, None)
    export["format"] = "xlsx"
    context = {
        "filter": filterset,
        "page": page,
        "headers": _headers(params, key),
        "export_query": export.urlencode(),
        "saved": SavedSearch.objects.filter(user=viewer).order_by("name"),
        "save_form": SaveForm(),
        "current_query": _query_to_save(params),
        "filters_active": any(v not in ("", "unknown") for k, v in _filters(params).items() if k != "q"),
    }
    return render(request, "tickets/search.html", context)


def _query_to_save(params: QueryDict) -> str:
    query = params.copy()
    for k in PAGING:
        query.pop(k, None)
    return query.urlencode()


def _export(viewer: User, tickets: Any, params: QueryDict) -> FileResponse:
    """Exactly the filtered list, in its order, phones masked as in lists; the export is audited."""
    now = timezone.now()
    audit_record(actor=viewer, action="export", target="tickets", detail={"filters": _query_to_save(params)})
    header = [
        gettext("number"),
        gettext("received at"),
        gettext("status"),
        gettext("kind"),
        gettext("channel"),
        gettext("category"),
        gettext("lead department"),
        gettext("caller"),
        gettext("address"),
        gettext("content"),
    ]
    rows = (_export_row(t) for t in tickets.prefetch_related(None).iterator(chunk_size=2000))
    return xlsx_response(f"tickets-{timezone.localtime(now):%Y%m%d-%H%M}.xlsx", gettext("tickets"), header, rows)


def _export_row(ticket: Ticket) -> list[str]:
    caller = masked_caller(ticket) or {}
    return [
        ticket.number,
        timezone.localtime(ticket.created_at).strftime("%Y-%m-%d %H:%M"),
        str(ticket.get_status_display()),
        str(ticket.get_kind_display()),
        str(ticket.get_channel_display()),
        ticket.category.name if ticket.category else "",
        ticket.lead_department.name if ticket.lead_department else "",
        " ".join(v for v in (caller.get("name", ""), caller.get("phone", "")) if v),
        ticket.address,
        ticket.content,
    ]


@login_required
def search_filters(request: HttpRequest) -> HttpResponse:
    """The filter fields, drawn when the filters are first opened."""
    filterset = TicketFilter(request.GET or None, queryset=Ticket.objects.none())
    return render(request, "tickets/_search_filters.html", {"filter": filterset})


@login_required
@require_POST
def saved_search_create(request: HttpRequest) -> HttpResponse:
    form = SaveForm(request.POST)
    query = request.POST.get("query", "")[:1000]
    if form.is_valid():
        SavedSearch.objects.update_or_create(
            user=request_user(request), name=form.cleaned_data["name"], defaults={"query": query}
        )
        messages.success(request, gettext("The view is saved."))
    return redirect(f"{reverse('tickets:search')}?{query}")


@login_required
@require_POST
def saved_search_delete(request: HttpRequest, pk: int) -> HttpResponse:
    get_object_or_404(SavedSearch, pk=pk, user=request_user(request)).delete()
    return redirect("tickets:search")
