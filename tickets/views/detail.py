"""The ticket page shared by all roles: facts, caller (masked, "show number" audited), clocks, timeline, actions."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hotline.errors import DomainError, NotFound
from org.models import User
from org.permissions import request_user
from org.services import audit_record
from reviews.forms import REVIEW_ACTIONS
from tickets import permissions
from tickets.forms import ACTIONS
from tickets.models import Attachment, Ticket
from tickets.record import caller_shown, document_title, ticket_record
from tickets.selectors import ticket_get
from tickets.templatetags.hotline import action_label

PREVIEWABLE = frozenset({"image/jpeg", "image/png", "image/gif", "image/webp"})


def _ticket(request: HttpRequest, number: str, *, past: bool = False) -> Ticket:
    try:
        return ticket_get(viewer=request_user(request), number=number, past=past)
    except NotFound:
        raise Http404 from None


def _form_class(verb: str) -> Any:
    return ACTIONS[verb][0] if verb in ACTIONS else REVIEW_ACTIONS[verb][0]


def _offered(ticket: Ticket, viewer: User) -> list[str]:
    return [v for v in permissions.actions_available(viewer, ticket) if v in ACTIONS or v in REVIEW_ACTIONS]


def _form(verb: str, ticket: Ticket, *args: Any) -> Any:
    form = _form_class(verb)(*args, prefix=verb)
    if hasattr(form, "narrow"):
        form.narrow(ticket)  # e.g. sub-dispatch offers only the units below the lead department
    return form


def _too_late(ticket: Ticket) -> dict[str, str]:
    """Why return or extension can no longer be asked for, said on the page instead of a form that would fail."""
    now = timezone.now()
    late = {}
    response = ticket.deadlines.filter(kind="response").exclude(state="superseded").order_by("-started_at").first()
    if response is not None and now >= response.due_at:
        late["return"] = _("The response deadline has passed: the ticket can no longer be returned.")
    reply = ticket.deadlines.filter(kind="reply", state="open").first()
    if reply is not None and now >= reply.due_at:
        late["extend"] = _("The reply deadline has passed: an extension can no longer be requested.")
    return late


def _context(request: HttpRequest, ticket: Ticket, bound: dict[str, Any] | None = None) -> dict[str, Any]:
    viewer = request_user(request)
    record = ticket_record(viewer=viewer, ticket=ticket)
    late = _too_late(ticket)
    verbs = _offered(ticket, viewer)
    forms = {verb: _form(verb, ticket) for verb in verbs}
    forms.update(bound or {})
    return {
        "late": [(verb, late[verb]) for verb in verbs if verb in late],
        "ticket": ticket,
        "record": record,
        "timeline": record.timeline,
        "deadlines": ticket.deadlines.order_by("started_at", "pk"),
        "dispatches": record.dispatches,
        "actions": [(verb, forms[verb]) for verb in verbs if verb not in late],
        "may_reveal": bool(ticket.caller and ticket.caller.phone and permissions.may_see_caller(viewer, ticket)),
        "caller_hidden": ticket.confidential and not permissions.may_see_caller(viewer, ticket),
    }


@login_required
def ticket_detail(request: HttpRequest, number: str) -> HttpResponse:
    ticket = _ticket(request, number, past=True)
    return render(request, "tickets/detail.html", _context(request, ticket))


@login_required
def ticket_print(request: HttpRequest, number: str) -> HttpResponse:
    """交办单 / 办结单 on A4, without navigation: the record as the viewer may see it."""
    ticket = _ticket(request, number, past=True)
    viewer = request_user(request)
    record = ticket_record(viewer=viewer, ticket=ticket)
    context = {
        "ticket": ticket,
        "record": record,
        "timeline": record.timeline,
        "title": document_title(ticket),
        "caller_hidden": not caller_shown(viewer, ticket),
        "printed_at": timezone.now(),
    }
    return render(request, "tickets/print.html", context)


@login_required
@require_POST
def ticket_act(request: HttpRequest, number: str, verb: str) -> HttpResponse:
    """Run one action from its form; on refusal the page comes back with the message and what was entered."""
    ticket = _ticket(request, number)
    if verb not in ACTIONS and verb not in REVIEW_ACTIONS:
        raise Http404
    do = ACTIONS[verb][1] if verb in ACTIONS else REVIEW_ACTIONS[verb][1]
    form = _form(verb, ticket, request.POST, request.FILES)
    if form.is_valid():
        try:
            do(ticket, request_user(request), form.cleaned_data)
        except DomainError as error:
            form.add_error(None, str(error.message))
        else:
            messages.success(request, _("Done: %(action)s") % {"action": action_label(verb)})
            back = request.POST.get("next", "")
            if back and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
                return redirect(back)  # e.g. 督办 from the overdue list returns to the list
            return redirect("tickets:detail", number=number)
    ticket = _ticket(request, number)
    return render(request, "tickets/detail.html", _context(request, ticket, {verb: form}), status=400)


@login_required
@require_POST
def ticket_reveal_phone(request: HttpRequest, number: str) -> HttpResponse:
    """The caller's full number, for those who may see it; every reveal writes an audit row."""
    ticket = _ticket(request, number)
    viewer = request_user(request)
    if not ticket.caller or not ticket.caller.phone or not permissions.may_see_caller(viewer, ticket):
        raise Http404
    audit_record(actor=viewer, action="caller_phone_view", target=f"ticket:{ticket.number}")
    return HttpResponse(f'<span data-testid="caller-phone">{ticket.caller.phone}</span>')


@login_required
def attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    """Only to users who may see the ticket (404 otherwise, like a missing file)."""
    attachment = get_object_or_404(Attachment.objects.select_related("ticket"), pk=pk)
    _ticket(request, attachment.ticket.number, past=True)
    inline = request.GET.get("inline") == "1" and attachment.content_type in PREVIEWABLE  # a photo shown on the page
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=not inline,
        filename=attachment.name,
        content_type=attachment.content_type,
    )
