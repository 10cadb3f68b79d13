"""Citizens' own submissions (web form, mayor's mailbox, Open311 and app clients) and tracking by number + code."""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Sequence
from decimal import Decimal

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from channels.models import ApiClient, key_hash
from channels.publication import publication_consent
from hotline.errors import DomainError, Forbidden
from hotline.inputs import text_limits
from org.models import Department
from tickets.models import Attachment, Category, Ticket
from tickets.services.attachments import attachments_save, uploads_discard, uploads_store
from tickets.services.intake import ticket_create

TRACKING_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read out over the phone


def tracking_code_new() -> str:
    return "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(10))  # ~50 bits, rate-limited guessing


def public_submit(
    *,
    channel: str,
    kind: str,
    category_id: int | None,
    address: str,
    content: str,
    name: str,
    phone: str,
    submission_key: str,
    addressed_to_id: int | None = None,
    photos: Sequence[UploadedFile] = (),
    publish: bool = False,
) -> tuple[Ticket, str | None]:
    """A citizen's web or mailbox submission. Returns the ticket and its new tracking code (None on a resubmit)."""
    if channel not in (Ticket.Channel.WEB, Ticket.Channel.MAILBOX):
        raise DomainError(_("Unknown channel, kind or urgency."), code="invalid_choice")
    if not phone.strip():
        raise DomainError(_("Leave a phone number so that the department can contact you."), code="phone_required")
    existing = Ticket.objects.filter(submission_key=submission_key).first() if submission_key else None
    if existing is not None:
        return existing, None
    addressed_to = None
    if channel == Ticket.Channel.MAILBOX:
        addressed_to = Department.objects.filter(pk=addressed_to_id, kind__in=["city", "district"]).first()
        if addressed_to is None:
            raise DomainError(_("Choose the office the letter is addressed to."), code="office_required")
    code = tracking_code_new()
    stored = uploads_store(photos)  # written before the transaction, removed if it fails
    try:
        with transaction.atomic():
            ticket = ticket_create(
                received_by=None,
                channel=channel,
                kind=kind,
                content=content,
                category_id=category_id,
                address=address,
                caller_name=name,
                caller_phone=phone,
                submission_key=submission_key or None,
                addressed_to=addressed_to,
                tracking_code_hash=key_hash(code),
            )
            attachments_save(
                ticket=ticket, purpose=Attachment.Purpose.SUBMISSION, object_id=ticket.pk, files=stored, actor=None
            )
            if publish:
                publication_consent(ticket)
    except IntegrityError:  # the same form sent twice at once: the first one won
        uploads_discard(stored)
        return Ticket.objects.get(submission_key=submission_key), None
    except BaseException:
        uploads_discard(stored)
        raise
    return ticket, code


def api_client_for(key: str, *, channel: str | None = None) -> ApiClient:
    client = ApiClient.objects.filter(key_hash=key_hash(key or ""), is_active=True).first()
    if client is None or (channel and client.channel != channel):
        raise Forbidden(_("The API key is not valid."), code="invalid_api_key")
    return client


@transaction.atomic
def open311_submit(
    *,
    client: ApiClient,
    service_code: str,
    description: str,
    address_string: str = "",
    lat: Decimal | None = None,
    long: Decimal | None = None,
    phone: str = "",
    first_name: str = "",
    last_name: str = "",
    media_url: str = "",
    publish: bool = False,
) -> Ticket:
    category = Category.objects.filter(code=service_code, is_active=True, depth__gt=1).first()
    if category is None:
        raise DomainError(_("Unknown service_code."), code="invalid_service_code")
    if not address_string.strip() and (lat is None or long is None):
        raise DomainError(_("Give address_string or lat and long."), code="location_required")
    media_url = media_url.strip()
    if media_url and (not media_url.lower().startswith(("http://", "https://")) or len(media_url) > 200):
        raise DomainError(_("media_url must be an http or https address of at most 200 characters."), code="bad_url")
    text_limits(first_name=(first_name, 50), last_name=(last_name, 50))
    name = f"{last_name}{first_name}".strip()
    ticket = ticket_create(
        received_by=None,
        channel=client.channel,
        kind=Ticket.Kind.HELP,
        content=description,
        category_id=category.pk,
        address=address_string,
        caller_name=name,
        caller_phone=phone,
        api_client=client,
        latitude=lat,
        longitude=long,
        media_url=media_url,
    )
    if publish:
        publication_consent(ticket)
    return ticket


def ticket_track(*, number: str, code: str) -> Ticket | None:
    """The ticket for this number and tracking code, or None; an unknown number and a wrong code look the same."""
    ticket = Ticket.objects.select_related("lead_department").filter(number=number.strip()).first()
    expected = ticket.tracking_code_hash if ticket is not None else key_hash("no ticket")
    matches = hmac.compare_digest(expected, key_hash(code.strip().upper()))
    return ticket if ticket is not None and matches and ticket.tracking_code_hash else None
