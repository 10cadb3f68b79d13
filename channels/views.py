"""Public pages, no login: the web form and mayor's mailbox, the receipt, and tracking by number + code.

Rate limited per IP and per phone (django-ratelimit); every refusal is a clear Chinese page.
"""

from __future__ import annotations

import secrets
from typing import Any

from django import forms
from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods
from django_ratelimit.decorators import ratelimit

from channels.services import public_submit, ticket_track
from hotline.clientip import client_ip
from hotline.errors import DomainError
from hotline.phones import phone_key
from org.models import Department
from tickets.forms import MultipleFileField
from tickets.models import Category, Ticket


class SubmitForm(forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=Ticket.Kind.choices, initial="complaint")
    category = forms.ModelChoiceField(
        Category.objects.filter(is_active=True, depth__gt=1).order_by("path"), label=_("category"), required=False
    )
    address = forms.CharField(label=_("address"), max_length=300, required=False)
    content = forms.CharField(label=_("content"), widget=forms.Textarea(attrs={"rows": 5}), max_length=4000)
    name = forms.CharField(label=_("your name"), max_length=100, required=False)
    phone = forms.CharField(label=_("your phone"), max_length=20)
    photos = MultipleFileField(label=_("photos"), required=False)
    publish = forms.BooleanField(
        label=_("I agree that this request may be published (without my name, phone or exact address)"),
        required=False,
    )
    submission_key = forms.CharField(widget=forms.HiddenInput)

    def clean_photos(self) -> list[Any]:
        """All the photos of one submission together stay under PUBLIC_UPLOAD_MAX_BYTES."""
        photos: list[Any] = self.cleaned_data["photos"]
        if sum(p.size or 0 for p in photos) > settings.PUBLIC_UPLOAD_MAX_BYTES:
            limit = settings.PUBLIC_UPLOAD_MAX_BYTES // 2**20
            raise forms.ValidationError(_("The photos together may be at most %(mb)d MB.") % {"mb": limit})
        return photos


class MailboxForm(SubmitForm):
    office = forms.ModelChoiceField(
        Department.objects.filter(kind__in=["city", "district"]).order_by("path"), label=_("to the office of")
    )


def _rate(setting: str) -> Any:
    return lambda group, request: getattr(settings, setting)


def rate_limited(request: HttpRequest, exception: Exception) -> HttpResponse:
    """Shown for every rate-limit refusal (settings.RATELIMIT_VIEW)."""
    context = {
        "message": _("Too many attempts from here. Please wait a while and try again, or call 12345."),
        "kept_text": request.POST.get("content", "")[:4000] if request.method == "POST" else "",
        "back": request.path if request.method == "POST" else "",
    }
    return render(request, "channels/message.html", context, status=429)


def _upload_quota_left(request: HttpRequest, size: int) -> bool:
    """Bytes of photos per client address per day (PUBLIC_UPLOAD_DAILY_BYTES), counted in the shared cache."""
    if not size:
        return True
    key = f"public-upload:{client_ip(request)}:{timezone.localdate():%Y%m%d}"
    cache.add(key, 0, 24 * 3600)
    try:
        used = cache.incr(key, size)
    except ValueError:  # expired between add and incr
        used = size
    return bool(used <= settings.PUBLIC_UPLOAD_DAILY_BYTES)


def _submit(request: HttpRequest, form_class: type[SubmitForm], channel: str) -> HttpResponse:
    form = form_class(
        request.POST or None, request.FILES or None, initial={"submission_key": secrets.token_urlsafe(16)}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if not _upload_quota_left(request, sum(p.size or 0 for p in data["photos"])):
            form.add_error("photos", _("Too many photos from here today. Please send them tomorrow, or call 12345."))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            ticket, code = public_submit(
                channel=channel,
                kind=data["kind"],
                category_id=data["category"].pk if data["category"] else None,
                address=data["address"],
                content=data["content"],
                name=data["name"],
                phone=data["phone"],
                submission_key=data["submission_key"],
                photos=data["photos"],
                addressed_to_id=data["office"].pk if "office" in data else None,
                publish=data["publish"],
            )
        except DomainError as error:
            form.add_error(None, str(error.message))
        else:
            codes = request.session.setdefault("tracking_codes", {})
            if code:
                codes[ticket.number] = code
                request.session.modified = True
            return render(request, "channels/receipt.html", {"ticket": ticket, "code": codes.get(ticket.number)})
    return render(
        request,
        "channels/submit.html",
        {"form": form, "mailbox": channel == "mailbox"},
        status=400 if form.errors else 200,
    )


def phone_rate_key(group: str, request: HttpRequest) -> str:
    """One number however it is written: 138 1234 5678 and +86 13812345678 share their limit."""
    raw = request.POST.get("phone", "")
    return phone_key(raw) or raw.strip()


@require_http_methods(["GET", "POST"])
@ratelimit(key="ip", rate=_rate("PUBLIC_SUBMIT_RATE_IP"), method="POST")
@ratelimit(key=phone_rate_key, rate=_rate("PUBLIC_SUBMIT_RATE_PHONE"), method="POST")
def submit(request: HttpRequest) -> HttpResponse:
    return _submit(request, SubmitForm, Ticket.Channel.WEB)


@require_http_methods(["GET", "POST"])
@ratelimit(key="ip", rate=_rate("PUBLIC_SUBMIT_RATE_IP"), method="POST")
@ratelimit(key=phone_rate_key, rate=_rate("PUBLIC_SUBMIT_RATE_PHONE"), method="POST")
def mailbox(request: HttpRequest) -> HttpResponse:
    return _submit(request, MailboxForm, Ticket.Channel.MAILBOX)


@require_http_methods(["GET", "POST"])
@ratelimit(key="ip", rate=_rate("TRACK_RATE_IP"), method="POST")
def track(request: HttpRequest) -> HttpResponse:
    """Status, department and the approved reply, for the right number + code only; all misses look the same."""
    context: dict[str, Any] = {"number": request.POST.get("number", "")}
    if request.method == "POST":
        ticket = ticket_track(number=request.POST.get("number", ""), code=request.POST.get("code", ""))
        if ticket is None:
            context["not_found"] = True
        else:
            reply = ticket.replies.filter(state="approved").order_by("-reviewed_at").first()
            context.update(ticket=ticket, reply=reply)
    return render(request, "channels/track.html", context, status=200)
