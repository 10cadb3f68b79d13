"""Intake at the centre: receive a ticket, answer it on the call, merge it into another as a repeat."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hotline.errors import DomainError
from hotline.phones import phone_normalise
from org.models import Department, User
from tickets import permissions, workflow
from tickets.models import Caller, Category, DailySequence, KnowledgeArticle, Ticket
from tickets.search.words import ticket_index
from tickets.services.common import event_record, status_move, ticket_lock
from tickets.services.surveys import survey_round_open


def ticket_number_next(day: date) -> str:
    """YYYYMMDD + a 6-digit daily sequence; the row lock makes concurrent intakes take distinct numbers."""
    with transaction.atomic():
        if not DailySequence.objects.filter(day=day).update(last=F("last") + 1):
            try:
                with transaction.atomic():
                    DailySequence.objects.create(day=day, last=1)
            except IntegrityError:  # another intake created today's row first
                DailySequence.objects.filter(day=day).update(last=F("last") + 1)
        last = DailySequence.objects.get(day=day).last
    return f"{day:%Y%m%d}{last:06d}"


def _clean_phone(phone: str) -> str:
    return phone_normalise(phone, field=_("caller's phone"))


@transaction.atomic
def ticket_receive(*, actor: User, **fields: Any) -> Ticket:
    """A call or letter taken in by the centre (operator, reviewer)."""
    permissions.ensure_role(actor, "receive")
    return ticket_create(received_by=actor, **fields)


def ticket_create(
    *,
    received_by: User | None,
    channel: str,
    kind: str,
    content: str,
    category_id: int | None = None,
    area_id: int | None = None,
    address: str = "",
    caller_name: str = "",
    caller_phone: str = "",
    urgency: str = Ticket.Urgency.NORMAL,
    confidential: bool = False,
    anonymous: bool = False,
    **extra: Any,
) -> Ticket:
    """Validate and create a ticket with its first event. Callers check who may do it (staff or a citizen channel)."""
    if not content.strip():
        raise DomainError(_("Describe what the citizen asks for."), code="content_required")
    if channel not in Ticket.Channel.values or kind not in Ticket.Kind.values or urgency not in Ticket.Urgency.values:
        raise DomainError(_("Unknown channel, kind or urgency."), code="invalid_choice")
    category = Category.objects.filter(pk=category_id, is_active=True).first() if category_id else None
    if category_id and category is None:
        raise DomainError(_("Unknown category."), code="invalid_category")
    area = Department.objects.filter(pk=area_id).first() if area_id else None
    if area_id and area is None:
        raise DomainError(_("Unknown area."), code="invalid_area")
    phone = _clean_phone(caller_phone)
    caller = None
    if phone or (caller_name and not anonymous):
        caller = Caller.objects.create(name="" if anonymous else caller_name.strip(), phone=phone)
    now = timezone.now()
    ticket = Ticket.objects.create(
        number=ticket_number_next(timezone.localdate(now)),
        channel=channel,
        kind=kind,
        urgency=urgency,
        category=category,
        area=area,
        address=address.strip(),
        content=content.strip(),
        caller=caller,
        confidential=confidential,
        anonymous=anonymous,
        received_by=received_by,
        created_at=now,
        **extra,
    )
    event_record(ticket, received_by, "receive", from_status="", to_status=ticket.status, payload={"channel": channel})
    ticket_index(ticket.pk, ticket.content, ticket.address)
    return ticket


@transaction.atomic
def ticket_answer(*, ticket_id: int, actor: User, answer: str, article_id: int | None = None) -> Ticket:
    """Answered on the call (直接办结), from the knowledge base or not: the ticket goes straight to the survey."""
    ticket = ticket_lock(ticket_id=ticket_id, actor=actor, verb="answer")
    article = KnowledgeArticle.objects.filter(pk=article_id, is_active=True).first() if article_id else None
    if article_id and article is None:
        raise DomainError(_("Unknown knowledge article."), code="invalid_article")
    answer = answer.strip() or (article.body if article else "")
    if not answer:
        raise DomainError(_("Write the answer given to the citizen."), code="answer_required")
    if article is not None:
        ticket.answered_article = article
        ticket.save(update_fields=["answered_article", "updated_at"])
    status_move(
        ticket,
        workflow.ANSWERED,
        actor=actor,
        verb="answer",
        note=answer,
        payload={"article": article.pk} if article else None,
    )
    survey_round_open(ticket, at=timezone.now())
    return ticket


@transaction.atomic
def ticket_merge(*, ticket_id: int, actor: User, main_number: str) -> Ticket:
    """A repeat (重复件) keeps its own number and caller, points at the main ticket, and follows it."""
    ticket = ticket_lock(ticket_id=ticket_id, actor=actor, verb="merge")
    main = Ticket.objects.filter(number=main_number).first()
    if main is None or main.pk == ticket.pk or main.status in (workflow.CLOSED, workflow.MERGED):
        raise DomainError(_("Choose another open ticket to merge into."), code="invalid_main_ticket")
    ticket.merged_into = main
    ticket.save(update_fields=["merged_into", "updated_at"])
    status_move(ticket, workflow.MERGED, actor=actor, verb="merge", payload={"main": main.number})
    event_record(main, actor, "merge_repeat", payload={"repeat": ticket.number})
    return ticket
