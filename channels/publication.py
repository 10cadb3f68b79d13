"""What may be published (DESIGN.md section 6): the Open311 list and single requests carry only requests whose citizen
agreed to publication (a checkbox on the web form and mailbox, ``publish=true`` from Open311 clients; default off) or
that a reviewer marked public; the place is the area (street or community) and coordinates rounded to about a
kilometre, never the typed address; status notes come only from a public text a reviewer approved, never from the
reply written to the citizen. Confidential requests are never published."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from channels.models import Publication
from hotline.errors import DomainError, NotFound
from hotline.inputs import text_limits
from org.models import User
from reviews.permissions import ensure_reviewer
from tickets.models import Ticket
from tickets.services.common import event_record

PUBLIC_TEXT_MAX = 2000


def publication_consent(ticket: Ticket) -> Publication:
    """The citizen agreed, at submission, that the request may be published (within the rules above)."""
    row, _created = Publication.objects.update_or_create(ticket=ticket, defaults={"consent": True})
    return row


@transaction.atomic
def publication_mark(*, ticket_id: int, actor: User, public: bool, public_text: str = "") -> Publication:
    """A reviewer marks the request public (or not) and approves the text the public sees as its status notes."""
    ticket = Ticket.objects.select_for_update().filter(pk=ticket_id).first()
    if ticket is None:
        raise NotFound(_("Not found."))
    ensure_reviewer(actor)
    if public and ticket.confidential:
        raise DomainError(_("A confidential request is never published."), code="confidential")
    text_limits(public_text=(public_text, PUBLIC_TEXT_MAX))
    row, _created = Publication.objects.select_for_update().get_or_create(ticket=ticket)
    row.public, row.public_text = public, public_text.strip()
    row.reviewed_by, row.reviewed_at = actor, timezone.now()
    row.save(update_fields=["public", "public_text", "reviewed_by", "reviewed_at"])
    event_record(ticket, actor, "publish", payload={"public": public, "public_text": row.public_text})
    return row


def published(tickets: QuerySet[Ticket]) -> QuerySet[Ticket]:
    return tickets.filter(confidential=False).filter(Q(publication__consent=True) | Q(publication__public=True))


def coarse_place(ticket: Ticket) -> str | None:
    return ticket.area.name if ticket.area is not None else None


def coarse_coordinate(value: Decimal | None) -> Decimal | None:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP) if value is not None else None


def public_notes(ticket: Ticket) -> str | None:
    row = getattr(ticket, "publication", None)
    return row.public_text or None if row is not None else None
