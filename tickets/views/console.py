"""The operator's intake screen: one keyboard-first form, with htmx panels that answer while the call goes on."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.db import transaction
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from hotline.errors import DomainError
from hotline.inputs import ascii_int
from hotline.phones import phone_key
from learning.suggest.routing import suggestion_pick_record
from org.models import User
from org.permissions import request_user, role_required
from tickets import console, services
from tickets.forms import handling_departments
from tickets.models import Attachment, KnowledgeArticle, Ticket
from tickets.owner import QUEUES
from tickets.work import WorkQueue, queue_tickets

CENTRE = (User.Role.OPERATOR, User.Role.REVIEWER)


class IntakeForm(forms.Form):
    caller_phone = forms.CharField(label=_("phone"), max_length=20, required=False)
    caller_name = forms.CharField(label=_("caller"), max_length=100, required=False)
    channel = forms.ChoiceField(label=_("channel"), choices=Ticket.Channel.choices, initial=Ticket.Channel.PHONE)
    kind = forms.ChoiceField(label=_("kind"), choices=Ticket.Kind.choices, initial=Ticket.Kind.COMPLAINT)
    category = forms.IntegerField(label=_("category"), required=False, min_value=1, max_value=2**63 - 1)
    area = forms.IntegerField(label=_("area"), required=False, min_value=1, max_value=2**63 - 1)
    address = forms.CharField(label=_("address"), max_length=300, required=False)
    content = forms.CharField(label=_("content"), widget=forms.Textarea(attrs={"rows": 4}))
    urgency = forms.ChoiceField(label=_("urgency"), choices=Ticket.Urgency.choices, initial=Ticket.Urgency.NORMAL)
    confidential = forms.BooleanField(label=_("confidential"), required=False)
    anonymous = forms.BooleanField(label=_("anonymous"), required=False)
    department = forms.ModelChoiceField(handling_departments(), label=_("lead department"), required=False)
    co_departments = forms.ModelMultipleChoiceField(
        handling_departments(), label=_("co-handling departments"), required=False
    )
    article = forms.ModelChoiceField(KnowledgeArticle.objects.filter(is_active=True), required=False)
    answer = forms.CharField(label=_("answer given"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    merge_into = forms.CharField(max_length=14, required=False)
    action = forms.ChoiceField(choices=[(a, a) for a in ("save", "dispatch", "answer", "merge")])


def _take(actor: User, data: dict[str, Any]) -> tuple[Ticket, str]:
    """Receive the call and, in the same transaction, dispatch, answer or merge it: all or nothing."""
    action = data["action"]
    if action == "dispatch" and data["department"] is None:
        raise DomainError(_("Choose the lead department to dispatch to."), code="department_required")
    if action == "merge" and not data["merge_into"]:
        raise DomainError(_("Choose the ticket this call repeats."), code="main_required")
    with transaction.atomic():
        ticket = services.ticket_receive(
            actor=actor,
            channel=data["channel"],
            kind=data["kind"],
            content=data["content"],
            category_id=data["category"],
            area_id=data["area"],
            address=data["address"],
            caller_name=data["caller_name"],
            caller_phone=data["caller_phone"],
            urgency=data["urgency"],
            confidential=data["confidential"],
            anonymous=data["anonymous"],
        )
        if action == "dispatch":
            services.ticket_dispatch(
                ticket_id=ticket.pk,
                actor=actor,
                department_id=data["department"].pk,
                co_department_ids=[d.pk for d in data["co_departments"]],
            )
            return ticket, gettext("Ticket %(number)s received and dispatched to %(department)s.") % {
                "number": ticket.number,
                "department": data["department"].name,
            }
        if action == "answer":
            article = data["article"]
            services.ticket_answer(
                ticket_id=ticket.pk, actor=actor, answer=data["answer"], article_id=article.pk if article else None
            )
            return ticket, gettext("Ticket %(number)s answered directly.") % {"number": ticket.number}
        if action == "merge":
            services.ticket_merge(ticket_id=ticket.pk, actor=actor, main_number=data["merge_into"])
            return ticket, gettext("Ticket %(number)s merged into %(main)s.") % {
                "number": ticket.number,
                "main": data["merge_into"],
            }
    return ticket, gettext("Ticket %(number)s received.") % {"number": ticket.number}


@role_required(*CENTRE)
def intake(request: HttpRequest) -> HttpResponse:
    form = IntakeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            ticket, message = _take(request_user(request), form.cleaned_data)
        except DomainError as error:
            form.add_error(None, str(error.message))
        else:
            ticket.refresh_from_db(fields=["category", "lead_department"])
            suggestion_pick_record(ticket=ticket, operator=request_user(request))  # beside the operator's choice
            messages.success(request, message)
            return redirect(f"{request.path}?last={ticket.number}")
    last = request.GET.get("last", "")
    if last and not (last.isascii() and last.isdigit() and len(last) == 14):
        raise DomainError(_("Not a ticket number."), code="invalid_number")
    context = {
        "form": form,
        "last": last,
        "intake_queues": _intake(request_user(request)),
        **_route_context(request.POST or {}),
    }
    return render(request, "tickets/console.html", context, status=400 if form.errors else 200)


def _intake(user: User) -> list[WorkQueue]:
    """The calls this operator saved or took, and the submissions nobody has taken yet (oldest first)."""
    photos = Prefetch(
        "attachments", queryset=Attachment.objects.filter(purpose=Attachment.Purpose.SUBMISSION), to_attr="photos"
    )
    queues = []
    for key in ("saved", "intake"):
        rows = queue_tickets(user, key).prefetch_related(photos)
        queues.append(WorkQueue(key, QUEUES[key].label, rows.count(), list(rows[:20])))
    return queues


def _int(value: str | None) -> int | None:
    """An id from the form or query, None when empty; a 400 for anything but ASCII digits ("²".isdigit() is true)."""
    number = ascii_int(value)
    if value and number is None:
        raise DomainError(_("Not a valid number."), code="invalid_number")
    return number


def _route_context(params: Any) -> dict[str, Any]:
    category, area = _int(params.get("category")), _int(params.get("area"))
    rule = console.route_for(category, area)
    chosen = _int(params.get("department"))
    return {
        "departments": handling_departments(),
        "proposed": rule,
        "chosen_department": chosen or (rule.lead_id if rule else None),
        "chosen_co": [d.pk for d in rule.co_departments.all()] if rule and not chosen else [],
    }


@role_required(*CENTRE)
def pick(request: HttpRequest, kind: str) -> HttpResponse:
    """Category or area options for a search by Chinese, pinyin or pinyin initials (zdjy → 占道经营)."""
    options = console.picker_search("category" if kind == "category" else "area", request.GET.get("q", ""))
    params = request.GET.copy()
    if options and kind in ("category", "area"):
        params[kind] = str(options[0].id)
    context = {"kind": kind, "options": options, **_route_context(params)}
    return render(request, "tickets/console/_options.html", context)


@role_required(*CENTRE)
def route(request: HttpRequest) -> HttpResponse:
    return render(request, "tickets/console/_route.html", _route_context(request.GET))


@role_required(*CENTRE)
def lookup(request: HttpRequest) -> HttpResponse:
    phone, address = request.GET.get("caller_phone", "").strip(), request.GET.get("address", "").strip()
    phone = phone_key(phone) or phone  # 138 1234 5678 finds the caller stored as 13812345678
    context = {
        "history": console.caller_history(phone) if len(phone) >= 7 else [],
        "same_address": console.open_at_address(address) if address else [],
        "phone": phone,
    }
    return render(request, "tickets/console/_history.html", context)


@role_required(*CENTRE)
def suggest(request: HttpRequest) -> HttpResponse:
    suggestions = console.repeat_candidates(
        phone=phone_key(request.GET.get("caller_phone", "")) or "",
        address=request.GET.get("address", ""),
        category_id=_int(request.GET.get("category")),
        content=request.GET.get("content", "")[:4000],
        area_id=_int(request.GET.get("area")),
    )
    return render(request, "tickets/console/_suggestions.html", {"suggestions": suggestions})


@role_required(*CENTRE)
def knowledge(request: HttpRequest) -> HttpResponse:
    articles = console.article_search(request.GET.get("kb_q", ""), category_id=_int(request.GET.get("category")))
    return render(request, "tickets/console/_articles.html", {"articles": articles})
