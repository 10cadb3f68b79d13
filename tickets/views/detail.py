"""The ticket page shared by all roles: facts, caller (masked, "show number" audited), clocks, timeline, actions."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hotline.errors import DomainError, NotFound
from org.models import User
from org.services import audit_record
from tickets import permissions, workflow
from tickets.forms import ACTIONS
from tickets.models import Ticket
from tickets.selectors import ticket_get


def _viewer(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _ticket(request: HttpRequest, number: str) -> Ticket:
    try:
        return ticket_get(viewer=_viewer(request), number=number)
    except NotFound:
        raise Http404 from None


def _context(request: HttpRequest, ticket: Ticket, bound: dict[str, Any] | None = None) -> dict[str, Any]:
    viewer = _viewer(request)
    verbs = [v for v in workflow.actions_for(ticket.status, viewer.role) if v in ACTIONS and _pending(ticket, v)]
    forms = {verb: ACTIONS[verb][0](prefix=verb) for verb in verbs}
    forms.update(bound or {})
    return {
        "ticket": ticket,
        "deadlines": ticket.deadlines.order_by("started_at", "pk"),
        "events": ticket.events.select_related("actor").order_by("at", "pk"),
        "dispatches": ticket.dispatches.select_related("department").order_by("dispatched_at"),
        "actions": [(verb, forms[verb]) for verb in verbs],
        "may_reveal": bool(ticket.caller and ticket.caller.phone and permissions.may_see_caller(viewer, ticket)),
        "caller_hidden": ticket.confidential and not permissions.may_see_caller(viewer, ticket),
    }


@login_required
def ticket_detail(request: HttpRequest, number: str) -> HttpResponse:
    ticket = _ticket(request, number)
    return render(request, "tickets/detail.html", _context(request, ticket))


@login_required
@require_POST
def ticket_act(request: HttpRequest, number: str, verb: str) -> HttpResponse:
    """Run one action from its form; on refusal the page comes back with the message and what was entered."""
    ticket = _ticket(request, number)
    if verb not in ACTIONS:
        raise Http404
    form_class, do = ACTIONS[verb]
    form = form_class(request.POST, prefix=verb)
    if form.is_valid():
        try:
            do(ticket, _viewer(request), form.cleaned_data)
        except DomainError as error:
            form.add_error(None, str(error.message))
        else:
            messages.success(request, _("Done: %(action)s") % {"action": _action_label(verb)})
            return redirect("tickets:detail", number=number)
    ticket = _ticket(request, number)
    return render(request, "tickets/detail.html", _context(request, ticket, {verb: form}), status=400)


@login_required
@require_POST
def ticket_reveal_phone(request: HttpRequest, number: str) -> HttpResponse:
    """The caller's full number, for those who may see it; every reveal writes an audit row."""
    ticket = _ticket(request, number)
    viewer = _viewer(request)
    if not ticket.caller or not ticket.caller.phone or not permissions.may_see_caller(viewer, ticket):
        raise Http404
    audit_record(actor=viewer, action="caller_phone_view", target=f"ticket:{ticket.number}")
    return HttpResponse(f'<span data-testid="caller-phone">{ticket.caller.phone}</span>')


def _pending(ticket: Ticket, verb: str) -> bool:
    """Offer a decision only when there is something to decide."""
    if verb == "decide_extension":
        return ticket.extensions.filter(state="pending").exists()
    return True


def _action_label(verb: str) -> str:
    from tickets.views.labels import ACTION_LABELS

    return str(ACTION_LABELS.get(verb, verb))
