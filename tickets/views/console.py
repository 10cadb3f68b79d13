"""The operator's intake screen: one keyboard-first form, with panels that answer while the call goes on.

Nothing typed is lost: a failed save shows the form again with every field, chosen item and side panel, each error
beside its field; the browser keeps the call as a draft (static/js/console.js) and the server keeps it too once the
phone is known (``draft_save``); the form's idempotency key makes one call one ticket however often it is sent.
"""

from __future__ import annotations

import secrets
from typing import Any

from django import forms
from django.contrib import messages
from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from hotline.errors import DomainError
from hotline.inputs import ascii_int
from hotline.phones import phone_key
from learning.suggest.routing import suggestion_pick_record
from org.models import Area, User
from org.permissions import request_user, role_required
from tickets import console, services
from tickets.forms import handling_departments
from tickets.models import Attachment, CallDraft, Category, KnowledgeArticle, Ticket
from tickets.owner import QUEUES
from tickets.queue_counts import queue_counts
from tickets.services.drafts import call_draft_discard, call_draft_save
from tickets.work import WorkQueue, queue_tickets

CENTRE = (User.Role.OPERATOR, User.Role.REVIEWER)
# Where a refusal from the services is shown: beside the field it is about.
ERROR_FIELDS = {
    "content_required": "content",
    "invalid_phone": "caller_phone",
    "invalid_category": "category",
    "invalid_area": "area",
    "department_required": "department",
    "invalid_department": "department",
    "main_required": "merge_into",
    "invalid_main_ticket": "merge_into",
    "answer_required": "answer",
    "invalid_article": "answer",
}


class IntakeForm(forms.Form):
    caller_phone = forms.CharField(label=_("phone"), max_length=20, required=False)
    caller_name = forms.CharField(label=_("caller"), max_length=100, required=False)
    channel = forms.ChoiceField(label=_("channel"), choices=Ticket.Channel.choices, initial=Ticket.Channel.PHONE)
    kind = forms.ChoiceField(label=_("kind"), choices=Ticket.Kind.choices, initial=Ticket.Kind.COMPLAINT)
    category = forms.IntegerField(label=_("category"), required=False, min_value=1, max_value=2**63 - 1)
    category_q = forms.CharField(label=_("category"), max_length=100, required=False)
    area = forms.IntegerField(label=_("area"), required=False, min_value=1, max_value=2**63 - 1)
    area_q = forms.CharField(label=_("area"), max_length=200, required=False)
    address = forms.CharField(label=_("address"), max_length=300, required=False)
    content = forms.CharField(label=_("content"), widget=forms.Textarea(attrs={"rows": 4}))
    urgency = forms.ChoiceField(label=_("urgency"), choices=Ticket.Urgency.choices, initial=Ticket.Urgency.NORMAL)
    confidential = forms.BooleanField(label=_("confidential"), required=False)
    anonymous = forms.BooleanField(label=_("anonymous"), required=False)
    department = forms.ModelChoiceField(handling_departments(), label=_("lead department"), required=False)
    department_by_hand = forms.BooleanField(required=False)
    co_departments = forms.ModelMultipleChoiceField(
        handling_departments(), label=_("co-handling departments"), required=False
    )
    article = forms.ModelChoiceField(KnowledgeArticle.objects.filter(is_active=True), required=False)
    answer = forms.CharField(label=_("answer given"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    merge_into = forms.CharField(max_length=14, required=False)
    form_key = forms.CharField(max_length=64, required=False)
    action = forms.ChoiceField(choices=[(a, a) for a in ("save", "dispatch", "answer", "merge")])

    def clean_form_key(self) -> str:
        """The key the browser kept for this form; a form sent without one (no script) gets one of its own."""
        key: str = self.cleaned_data["form_key"].strip()
        return key if key and key.isascii() else secrets.token_urlsafe(16)


def _resolve(form: IntakeForm) -> dict[str, Any]:
    """What the operator typed ahead of the pickers, as they would have seen it: the first result for the text of a
    picker left without a choice, and the routing table's proposal unless a department was chosen by hand."""
    data = dict(form.cleaned_data)
    for kind in ("category", "area"):
        text = data[f"{kind}_q"].strip()
        if data[kind] is None and text:
            first = console.picker_first(kind, text)
            if first is None:
                form.add_error(kind, gettext("Nothing matches “%(text)s”. Choose from the list.") % {"text": text})
            else:
                data[kind] = first.id
    rule = console.route_for(data["category"], data["area"])
    if rule is not None and (data["department"] is None or not data["department_by_hand"]):
        data["department"] = rule.lead
        if not data["co_departments"]:
            data["co_departments"] = list(rule.co_departments.all())
    return data


def _take(actor: User, data: dict[str, Any]) -> tuple[Ticket, str]:
    """Receive the call and, in the same transaction, dispatch, answer or merge it: all or nothing. A form key seen
    before answers with the ticket it already made (Back after the receipt and send again: still one ticket)."""
    action, key = data["action"], data["form_key"]
    if action == "dispatch" and data["department"] is None:
        raise DomainError(_("Choose the lead department to dispatch to."), code="department_required")
    if action == "merge" and not data["merge_into"]:
        raise DomainError(_("Choose the ticket this call repeats."), code="main_required")
    existing = Ticket.objects.filter(submission_key=key).first()
    if existing is not None:
        return existing, _already(existing)
    try:
        fields = {
            "channel": data["channel"],
            "kind": data["kind"],
            "content": data["content"],
            "category_id": data["category"],
            "area_id": data["area"],
            "address": data["address"],
            "caller_name": data["caller_name"],
            "caller_phone": data["caller_phone"],
            "urgency": data["urgency"],
            "confidential": data["confidential"],
            "anonymous": data["anonymous"],
            "submission_key": key,
        }
        with transaction.atomic():
            if action == "dispatch":  # the complete intake, as POST /api/v1/tickets/ with "dispatch" does it
                ticket = services.ticket_receive_dispatch(
                    actor=actor,
                    department_id=data["department"].pk,
                    co_department_ids=[d.pk for d in data["co_departments"]],
                    **fields,
                )
                message = gettext("Ticket %(number)s received and dispatched to %(department)s.") % {
                    "number": ticket.number,
                    "department": data["department"].name,
                }
            else:
                ticket = services.ticket_receive(actor=actor, **fields)
                message = _finish(actor, ticket, data)
            CallDraft.objects.filter(key=key).delete()
            return ticket, message
    except IntegrityError:  # the same form sent twice at once: the other request made the ticket
        twin = Ticket.objects.filter(submission_key=key).first()
        if twin is None:
            raise
        return twin, _already(twin)


def _already(ticket: Ticket) -> str:
    return gettext("This call was already saved as ticket %(number)s; nothing was filed twice.") % {
        "number": ticket.number
    }


def _finish(actor: User, ticket: Ticket, data: dict[str, Any]) -> str:
    action = data["action"]
    if action == "answer":
        article = data["article"]
        services.ticket_answer(
            ticket_id=ticket.pk, actor=actor, answer=data["answer"], article_id=article.pk if article else None
        )
        return gettext("Ticket %(number)s answered directly.") % {"number": ticket.number}
    if action == "merge":
        services.ticket_merge(ticket_id=ticket.pk, actor=actor, main_number=data["merge_into"])
        return gettext("Ticket %(number)s merged into %(main)s.") % {
            "number": ticket.number,
            "main": data["merge_into"],
        }
    return gettext("Ticket %(number)s received.") % {"number": ticket.number}


@role_required(*CENTRE)
def intake(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    form = IntakeForm(request.POST or None, initial=_draft_initial(request, user))
    data: dict[str, Any] = {}
    if request.method == "POST" and form.is_valid():
        data = _resolve(form)
    if request.method == "POST" and form.is_valid():
        try:
            ticket, message = _take(user, data)
        except DomainError as error:
            form.add_error(ERROR_FIELDS.get(error.code), str(error.message))
        else:
            ticket.refresh_from_db(fields=["category", "lead_department"])
            suggestion_pick_record(ticket=ticket, operator=request_user(request))  # beside the operator's choice
            messages.success(request, message)
            return redirect(f"{request.path}?last={ticket.number}")
    last = request.GET.get("last", "")
    if last and not (last.isascii() and last.isdigit() and len(last) == 14):
        raise DomainError(_("Not a ticket number."), code="invalid_number")
    saved = Ticket.objects.filter(number=last, received_by=user).values_list("submission_key", flat=True).first()
    form_key = form["form_key"].value() or secrets.token_urlsafe(16)
    context = {
        "form": form,
        "last": last,
        "saved_key": saved or "",
        "form_key": form_key,
        "drafts": CallDraft.objects.filter(operator=user).exclude(key=form_key).order_by("-updated_at")[:5],
        "intake_queues": _intake(user),
        **_kept(form, data),
    }
    return render(request, "tickets/console.html", context, status=400 if form.errors else 200)


def _draft_initial(request: HttpRequest, user: User) -> dict[str, Any]:
    """?draft=<key>: the operator's own call kept on the server, back in the form."""
    key = request.GET.get("draft", "")
    draft = CallDraft.objects.filter(operator=user, key=key).first() if key else None
    if draft is None:
        return {}
    names = set(IntakeForm.base_fields) - {"action"}
    return {name: value for name, value in draft.fields.items() if name in names} | {"form_key": draft.key}


def _kept(form: IntakeForm, data: dict[str, Any]) -> dict[str, Any]:
    """Everything beside the fields, as it was when the form was sent: picker names, the route, the side panels."""
    value = form.data.get if form.is_bound else lambda name, default="": form.initial.get(name, default)
    category, area = _int(value("category", "") or None), _int(value("area", "") or None)
    category = data.get("category") or category
    area = data.get("area") or area
    phone = phone_key(value("caller_phone", "")) or value("caller_phone", "").strip()
    address, content = value("address", "").strip(), value("content", "")
    department = data.get("department")
    chosen = department.pk if department else _int(value("department", "") or None)
    panels = form.is_bound or bool(form.initial)
    return {
        "category_name": Category.objects.filter(pk=category).values_list("name", flat=True).first()
        if category
        else "",
        "area_name": _area_label(area),
        "category_id": category or "",
        "area_id": area or "",
        "by_hand": bool(value("department_by_hand", "")),
        "history": console.caller_history(phone) if panels and len(phone) >= 7 else [],
        "same_address": console.open_at_address(address) if panels and address else [],
        "phone": phone if panels else "",
        "suggestions": console.repeat_candidates(phone=phone, address=address, category_id=category, content=content)
        if panels
        else None,
        "merge_into": value("merge_into", ""),
        "articles": console.article_search(content, category_id=category) if panels else None,
        "article_id": _int(value("article", "") or None),
        **_route_context({"category": category, "area": area, "department": chosen}),
    }


def _area_label(area_id: int | None) -> str:
    area = Area.objects.filter(pk=area_id).first() if area_id else None
    if area is None:
        return ""
    above = Area.objects.filter(path__in=[area.path[:n] for n in range(Area.steplen, len(area.path), Area.steplen)])
    return console.area_label(area, {a.path: a.name for a in [*above, area]})


def _intake(user: User) -> list[WorkQueue]:
    """The calls this operator saved or took, and the submissions nobody has taken yet (oldest first)."""
    photos = Prefetch(
        "attachments", queryset=Attachment.objects.filter(purpose=Attachment.Purpose.SUBMISSION), to_attr="photos"
    )
    counts = queue_counts(user, ("saved", "intake"))
    return [
        WorkQueue(key, QUEUES[key].label, n, list(queue_tickets(user, key).prefetch_related(photos)[:20]) if n else [])
        for key, n in counts.items()
    ]


def _int(value: Any) -> int | None:
    """An id from the form or query, None when empty; a 400 for anything but ASCII digits ("²".isdigit() is true)."""
    if isinstance(value, int):
        return value
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
def pick(request: HttpRequest, kind: str) -> JsonResponse:
    """Category or area options for a search by Chinese, pinyin or pinyin initials (zdjy → 占道经营, rml → 人民路)."""
    if kind not in ("category", "area"):
        raise DomainError(_("Unknown list."), code="invalid_kind")
    query = request.GET.get("q", "")[:100]
    options = console.picker_search(kind, query)
    found = [{"id": o.id, "name": o.name, "detail": o.detail, "street": o.street} for o in options]
    return JsonResponse({"q": query, "options": found})


@role_required(*CENTRE)
def route(request: HttpRequest) -> JsonResponse:
    """The routing table's proposal for a category and an area; the page decides whether it may apply it."""
    rule = console.route_for(_int(request.GET.get("category")), _int(request.GET.get("area")))
    if rule is None:
        return JsonResponse({"lead": None, "lead_name": "", "co": []})
    return JsonResponse(
        {"lead": rule.lead_id, "lead_name": rule.lead.name, "co": [d.pk for d in rule.co_departments.all()]}
    )


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
    return render(request, "tickets/console/_suggestions.html", {"suggestions": suggestions, "merge_into": ""})


@role_required(*CENTRE)
def knowledge(request: HttpRequest) -> HttpResponse:
    """Articles for the words of the call as it is typed (the content), or for the knowledge-base search box."""
    words = request.GET.get("kb_q", "").strip() or request.GET.get("content", "")
    articles = console.article_search(words[:500], category_id=_int(request.GET.get("category")))
    return render(request, "tickets/console/_articles.html", {"articles": articles, "article_id": None})


@require_POST
@role_required(*CENTRE)
def draft_save(request: HttpRequest) -> JsonResponse:
    """Keep the call as typed so far (the browser sends it while the operator types, once the phone is known), or
    drop it (``discard``: the operator starts a new call instead)."""
    if request.POST.get("discard"):
        discarded = call_draft_discard(actor=request_user(request), key=request.POST.get("form_key", ""))
        return JsonResponse({"discarded": discarded})
    fields: dict[str, Any] = {name: request.POST.get(name, "") for name in IntakeForm.base_fields if name != "action"}
    fields["co_departments"] = request.POST.getlist("co_departments")[:20]
    draft = call_draft_save(actor=request_user(request), key=request.POST.get("form_key", ""), fields=fields)
    return JsonResponse({"saved": draft is not None})
