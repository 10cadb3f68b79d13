"""Open311 GeoReport v2 under /open311/v2/ (https://wiki.open311.org/GeoReport_v2), JSON and XML.

GET responses carry no personal data: no caller, no free-text description, and confidential tickets are left out.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Prefetch, Q, QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django_ratelimit.core import get_usage, is_ratelimited

from channels.models import ApiClient, key_hash
from channels.publication import coarse_coordinate, coarse_place, public_notes, published
from channels.services import api_client_for, open311_submit
from hotline.clientip import client_ip
from hotline.errors import DomainError
from hotline.inputs import coordinate
from tickets.models import Category, Deadline, Ticket

CLOSED = ("answered", "awaiting_survey", "closed", "merged")
MAX_RESULTS = 1000


def _respond(data: Any, fmt: str, root: str, item: str, status: int = 200) -> HttpResponse:
    if fmt == "xml":
        element = ET.Element(root)
        for entry in data if isinstance(data, list) else [data]:
            child = ET.SubElement(element, item) if isinstance(data, list) else element
            for key, value in entry.items():
                sub = ET.SubElement(child, key)
                if isinstance(value, list):
                    continue  # empty attribute lists
                sub.text = "" if value is None else str(value).lower() if isinstance(value, bool) else str(value)
        body = ET.tostring(element, encoding="utf-8", xml_declaration=True)
        return HttpResponse(body, content_type="text/xml; charset=utf-8", status=status)
    return JsonResponse(data, safe=False, status=status, json_dumps_params={"ensure_ascii": False})


def _error(fmt: str, code: int, description: str) -> HttpResponse:
    return _respond([{"code": code, "description": description}], fmt, "errors", "error", status=code)


def _w3c(value: datetime | None) -> str | None:
    return timezone.localtime(value).isoformat(timespec="seconds") if value else None


def services(request: HttpRequest, fmt: str) -> HttpResponse:
    groups = {c.path: c.name for c in Category.objects.filter(depth=1)}
    rows = [
        {
            "service_code": c.code,
            "service_name": c.name,
            "description": c.name,
            "metadata": False,
            "type": "realtime",
            "keywords": c.keywords,
            "group": groups.get(c.path[: Category.steplen], ""),
        }
        for c in Category.objects.filter(is_active=True, depth__gt=1).order_by("path")
    ]
    return _respond(rows, fmt, "services", "service")


def service_definition(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    if not Category.objects.filter(code=code, is_active=True, depth__gt=1).exists():
        return _error(fmt, 404, _("Unknown service_code."))
    return _respond({"service_code": code, "attributes": []}, fmt, "service_definition", "")


def _public(ticket: Ticket) -> dict[str, Any]:
    due = next(iter(ticket.open_reply_clocks), None)  # type: ignore[attr-defined]
    return {
        "service_request_id": ticket.number,
        "status": "closed" if ticket.status in CLOSED else "open",
        "status_notes": public_notes(ticket),  # the reviewer's public text, never the reply to the citizen
        "service_name": ticket.category.name if ticket.category else None,
        "service_code": ticket.category.code if ticket.category else None,
        "agency_responsible": ticket.lead_department.name if ticket.lead_department else None,
        "service_notice": None,
        "requested_datetime": _w3c(ticket.created_at),
        "updated_datetime": _w3c(ticket.updated_at),
        "expected_datetime": _w3c(due.due_at) if due else None,
        "address": coarse_place(ticket),  # the street or community, never the typed address
        "lat": coarse_coordinate(ticket.latitude),
        "long": coarse_coordinate(ticket.longitude),
        "media_url": ticket.media_url or None,
    }


def _requests() -> QuerySet[Ticket]:
    return (
        Ticket.objects.filter(confidential=False)
        .select_related("category", "lead_department", "area", "publication")
        .prefetch_related(
            Prefetch("deadlines", Deadline.objects.filter(kind="reply", state="open"), to_attr="open_reply_clocks"),
        )
    )


def _filtered(request: HttpRequest) -> QuerySet[Ticket]:
    params = request.GET
    tickets = _requests()
    if params.get("service_request_id"):
        return tickets.filter(number__in=params["service_request_id"].split(","))
    try:  # parse_datetime raises ValueError on a well-formed impossible date (2026-13-45)
        end = parse_datetime(params["end_date"]) if params.get("end_date") else timezone.now()
        start = parse_datetime(params["start_date"]) if params.get("start_date") else None
    except ValueError:
        end = start = None
    if end is None or (params.get("start_date") and start is None):
        raise DomainError(_("start_date and end_date must be W3C date-times, e.g. 2026-11-01T00:00:00+08:00."))
    start = start or end - timedelta(days=90)
    tickets = tickets.filter(created_at__gte=start, created_at__lte=end)
    if params.get("service_code"):
        tickets = tickets.filter(category__code__in=params["service_code"].split(","))
    statuses = set(params.get("status", "").split(",")) - {""}
    if statuses == {"open"}:
        tickets = tickets.exclude(status__in=CLOSED)
    elif statuses == {"closed"}:
        tickets = tickets.filter(status__in=CLOSED)
    return tickets


@csrf_exempt
def requests_collection(request: HttpRequest, fmt: str) -> HttpResponse:
    if request.method == "POST":
        return _create(request, fmt)
    if request.method != "GET":
        return _error(fmt, 405, _("Only GET and POST."))
    try:
        tickets = _filtered(request)
        if request.GET.get("api_key"):  # a channel client (WeChat, app) reads back its own submissions
            tickets = tickets.filter(api_client=api_client_for(request.GET["api_key"]))
        else:
            tickets = published(tickets)
    except DomainError as error:
        return _error(fmt, error.status if error.status != 404 else 400, str(error.message))
    rows = [_public(t) for t in tickets.order_by("-created_at")[:MAX_RESULTS]]
    return _respond(rows, fmt, "service_requests", "request")


def request_single(request: HttpRequest, number: str, fmt: str) -> HttpResponse:
    tickets = _requests().filter(Q(number=number))
    key = request.GET.get("api_key", "")
    own = ApiClient.objects.filter(key_hash=key_hash(key), is_active=True).first() if key else None
    tickets = tickets.filter(api_client=own) if own is not None else published(tickets)
    ticket = tickets.first() if len(number) <= 14 else None
    if ticket is None:
        return _error(fmt, 404, _("No such service request."))
    return _respond([_public(ticket)], fmt, "service_requests", "request")


def _limited(request: HttpRequest, group: str, key: str, rate_setting: str) -> bool:
    rate = getattr(settings, rate_setting)
    return is_ratelimited(request, group=group, key=lambda _g, _r: key, rate=rate, increment=True)


def _too_many(request: HttpRequest, client: ApiClient, address: str) -> bool:
    """POST limits per API key and per address (whitespace and case ignored), counted in the shared cache."""
    place = "".join(address.split()).lower()
    by_key = _limited(request, "open311-key", str(client.pk), "OPEN311_RATE_KEY")
    by_address = bool(place) and _limited(request, "open311-address", place, "OPEN311_RATE_ADDRESS")
    return by_key or by_address


def _create(request: HttpRequest, fmt: str) -> HttpResponse:
    data = request.POST
    ip = client_ip(request)
    wrong = get_usage(request, group="open311-bad-key", key=lambda _g, _r: ip, rate=settings.OPEN311_RATE_BAD_KEY)
    if wrong is not None and wrong["count"] >= wrong["limit"]:  # this address used up its wrong guesses
        return _error(fmt, 429, _("Too many requests. Please wait a while and try again."))
    try:
        client = api_client_for(data.get("api_key", ""))
    except DomainError as error:
        _limited(request, "open311-bad-key", ip, "OPEN311_RATE_BAD_KEY")  # wrong keys are counted per address
        return _error(fmt, 403, str(error.message))
    if _too_many(request, client, data.get("address_string", "")):
        return _error(fmt, 429, _("Too many requests. Please wait a while and try again."))
    try:
        ticket = open311_submit(
            client=client,
            service_code=data.get("service_code", ""),
            description=data.get("description", ""),
            address_string=data.get("address_string", ""),
            lat=coordinate(data.get("lat"), limit=90),
            long=coordinate(data.get("long"), limit=180),
            phone=data.get("phone", ""),
            first_name=data.get("first_name", ""),
            last_name=data.get("last_name", ""),
            media_url=data.get("media_url", ""),
            publish=data.get("publish", "").lower() in ("true", "1", "yes"),  # the citizen agreed in the app
        )
    except DomainError as error:
        return _error(fmt, 400, str(error.message))
    notice = _("Received. The reply is due within 5 working days after dispatch.")
    return _respond(
        [{"service_request_id": ticket.number, "service_notice": notice, "account_id": None}],
        fmt,
        "service_requests",
        "request",
        status=201,
    )
