"""Intake at the centre: receive a ticket, answer it on the call, merge it into another as a repeat."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from hotline.errors import DomainError
from hotline.inputs import CONTENT_MAX, text_limits
from hotline.inserts import insert_batch
from hotline.phones import phone_normalise
from org.models import Area, Department, User
from org.reference import reference, reference_copy, reference_rows
from tickets import permissions, workflow
from tickets.models import Caller, Category, Deadline, Dispatch, KnowledgeArticle, Outbox, Ticket, TicketEvent
from tickets.numbering import ticket_number_next  # no hot row: intakes run in parallel
from tickets.owner import Facts, owner_of
from tickets.search.words import ticket_index, ticket_words
from tickets.services.clocks import deadline_meet, deadline_new, deadline_start, policy_days
from tickets.services.common import (
    event_record,
    notify,
    outbox_queued,
    status_before_insert,
    status_move,
    ticket_lock,
)
from tickets.services.dispatch import DEPARTMENT_CLOCKS, dispatch_outbox, dispatchable
from tickets.services.ownership import centre_id, owner_columns, ticket_write
from tickets.services.surveys import survey_round_open

# The choices an intake is checked against, as sets: ``Choices.values`` builds the list of every choice and its label
# on each call (19 µs for the three checks, against 0.1 µs).
CHANNELS, KINDS, URGENCIES = (frozenset(choices.values) for choices in (Ticket.Channel, Ticket.Kind, Ticket.Urgency))


def _clean_phone(phone: str) -> str:
    return phone_normalise(phone, field=_("caller's phone"))


@ticket_write
def ticket_receive(*, actor: User, **fields: Any) -> Ticket:
    """A call or letter taken in by the centre (operator, reviewer)."""
    permissions.ensure_role(actor, "receive")
    return ticket_create(received_by=actor, **fields)


@ticket_write
def ticket_create(*, received_by: User | None, **fields: Any) -> Ticket:
    """Validate and create a ticket with its first event and its intake clock. Callers check who may do it (staff
    or a citizen channel). A call saved by staff is their own to-do; a citizen's submission is the centre's, which is
    notified."""
    now = timezone.now()
    ticket = _ticket_new(received_by=received_by, at=now, **fields)
    if ticket.caller is not None:
        ticket.caller.save(force_insert=True)
    ticket.save(force_insert=True)
    event_record(ticket, received_by, "receive", to_status=ticket.status, payload={"channel": ticket.channel})
    ticket_index(ticket.pk, ticket.content, ticket.address)
    deadline_start(
        ticket, "intake", department=None, started_at=now, working_days=policy_days(ticket, "intake"), fresh=True
    )
    if received_by is None:
        notify(
            ticket,
            Outbox.Kind.NEW_TICKET,
            key=f"intake:{ticket.pk}",
            department=Department.objects.filter(pk=centre_id()).first(),
            text=gettext("New submission %(number)s to take in") % {"number": ticket.number},
        )
    return ticket


def _ticket_new(
    *,
    received_by: User | None,
    at: datetime,
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
    """A checked ticket received at ``at``, numbered and not yet saved, nor its caller (a row of its own)."""
    if not content.strip():
        raise DomainError(_("Describe what the citizen asks for."), code="content_required")
    text_limits(content=(content, CONTENT_MAX), address=(address, 300), caller_name=(caller_name, 100))
    if channel not in CHANNELS or kind not in KINDS or urgency not in URGENCIES:
        raise DomainError(_("Unknown channel, kind or urgency."), code="invalid_choice")
    category = (
        reference_copy(
            ("category", category_id), lambda: Category.objects.filter(pk=category_id, is_active=True).first()
        )
        if category_id
        else None
    )
    if category_id and category is None:
        raise DomainError(_("Unknown category."), code="invalid_category")
    area = reference_copy(("area", area_id), lambda: Area.objects.filter(pk=area_id).first()) if area_id else None
    if area_id and area is None:
        raise DomainError(_("Unknown area."), code="invalid_area")
    phone = _clean_phone(caller_phone)
    caller = None
    if phone or (caller_name and not anonymous):
        caller = Caller(name="" if anonymous else caller_name.strip(), phone=phone)
    return Ticket(
        number=ticket_number_next(timezone.localdate(at)),
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
        taken_by=received_by,
        created_at=at,
        **extra,
    )


@ticket_write
def ticket_receive_dispatch(
    *,
    actor: User,
    department_id: int | None = None,
    co_department_ids: Sequence[int] | None = None,
    **fields: Any,
) -> Ticket:
    """The console's complete intake in one transaction: receive the call, route it by the routing table (unless the
    lead department is given) and dispatch it to the lead department, all or nothing.

    The same rows as ``ticket_receive`` then ``ticket_dispatch`` (tests/tickets/test_intake_rows.py compares them),
    written together: the ticket is inserted already dispatched, with its owner, which ``owner_of`` gives from what
    this write itself made (nothing else refers to a ticket born in it), and its caller, clocks, events, dispatches
    and notifications go in one round trip with it (hotline/inserts.py). An intake is the busiest write of a centre."""
    from tickets.console import route_ids  # the routing table the console proposes from

    permissions.ensure_role(actor, "dispatch")
    permissions.ensure_role(actor, "receive")
    now = timezone.now()
    ticket = _ticket_new(received_by=actor, at=now, **fields)
    status_before_insert(ticket, workflow.DISPATCHED, verb="dispatch")
    co = list(co_department_ids or [])
    if department_id is None:
        route = route_ids(ticket.category_id, ticket.area)
        if route is None:
            raise DomainError(_("Choose the lead department to dispatch to."), code="department_required")
        department_id, co = route[0], co or route[1]
    lead, co_departments, centre = _dispatch_targets(department_id, co)
    ticket.lead_department = lead
    intake = deadline_new(ticket, "intake", department=None, started_at=now, working_days=policy_days(ticket, "intake"))
    intake.state, intake.met_at = Deadline.State.MET, now
    clocks = [intake] + [
        deadline_new(ticket, kind, department=lead, started_at=now, working_days=policy_days(ticket, kind))
        for kind in DEPARTMENT_CLOCKS
    ]
    due = {clock.kind: clock.due_at for clock in clocks if clock.state == Deadline.State.OPEN}
    facts = Facts(status=ticket.status, centre_id=centre, lead_department_id=lead.pk, taken_by_id=actor.pk, due=due)
    for name, value in owner_columns(owner_of(facts)).items():
        setattr(ticket, name, value)
    ticket.owner_since = now
    units = [lead.pk, *(department.pk for department in co_departments)]
    ticket.search_vector = ticket_words(ticket.content, ticket.address, (units, now))  # no second row version
    handlers = [(lead, Dispatch.Role.LEAD), *((d, Dispatch.Role.CO) for d in co_departments)]
    ahead = {Caller: int(ticket.caller is not None), Ticket: 1, Dispatch: len(handlers), Deadline: len(clocks)}
    with insert_batch(ahead) as rows:  # ids drawn in one statement, the rows inserted in one more
        if ticket.caller is not None:
            rows.add([ticket.caller])
        rows.add([ticket])
        dispatches = rows.add(
            [
                Dispatch(ticket=ticket, department=department, role=role, dispatched_by=actor, dispatched_at=now)
                for department, role in handlers
            ]
        )
        rows.add(clocks)
        received, dispatched = workflow.RECEIVED, workflow.DISPATCHED
        rows.add(
            [
                TicketEvent(ticket=ticket, actor=actor, verb="receive", from_status=received, to_status=received,
                            payload={"channel": ticket.channel}, at=now),
                TicketEvent(ticket=ticket, actor=actor, verb="dispatch", from_status=received, to_status=dispatched,
                            payload={"department": lead.pk, "co_departments": co}, at=now),
                TicketEvent(ticket=ticket, actor=None, verb="intake_met", from_status=dispatched,
                            to_status=dispatched, deadline=intake, at=now),
            ]
        )  # fmt: skip
        rows.add(dispatch_outbox(ticket, dispatches[0], [lead, *co_departments]), ignore_conflicts=True)
    ticket.search_vector = None  # the row's, with the departments', is read from the database when needed
    outbox_queued()
    return ticket


def _dispatch_targets(lead_id: int, co_ids: Sequence[int]) -> tuple[Department, list[Department], int]:
    """The lead and co-handling departments, each checked as ``dispatch`` checks them (``dispatchable``), and the
    centre's id, kept while the departments are unchanged (org/reference.py)."""
    wanted = [lead_id, *dict.fromkeys(pk for pk in co_ids if pk != lead_id)]
    by_pk = reference_rows("department", wanted, Department.objects.in_bulk)
    lead, *co = [dispatchable(by_pk.get(pk)) for pk in wanted]
    return lead, co, reference(("centre",), centre_id) or 0


def _intake_met(ticket: Ticket) -> None:
    deadline = deadline_meet(ticket, "intake", at=timezone.now())
    if deadline is not None:
        event_record(ticket, None, "intake_met", deadline=deadline)


@ticket_write
def ticket_take(*, ticket_id: int, actor: User) -> Ticket:
    """An operator takes a submission from the intake queue: it becomes their to-do until dispatched or answered."""
    ticket = ticket_lock(ticket_id=ticket_id, actor=actor, verb="take")
    if ticket.taken_by_id not in (None, actor.pk):
        raise DomainError(_("Another operator has already taken this ticket."), code="already_taken")
    ticket.taken_by = actor
    ticket.save(update_fields=["taken_by", "updated_at"])
    event_record(ticket, actor, "take")
    return ticket


@ticket_write
def ticket_release(*, ticket_id: int, actor: User) -> Ticket:
    """Put a taken ticket back into the centre's intake queue (its taker, or a reviewer)."""
    ticket = ticket_lock(ticket_id=ticket_id, actor=actor, verb="release")
    if ticket.taken_by_id is None or (ticket.taken_by_id != actor.pk and actor.role != workflow.REVIEWER):
        raise DomainError(
            _("Only the operator who took this ticket, or a reviewer, may put it back."), code="not_taker"
        )
    ticket.taken_by = None
    ticket.save(update_fields=["taken_by", "updated_at"])
    event_record(ticket, actor, "release")
    return ticket


COMPLETABLE = ("kind", "urgency", "category_id", "area_id", "address")


@ticket_write
def ticket_complete(
    *,
    ticket_id: int,
    actor: User,
    kind: str,
    urgency: str,
    category_id: int | None,
    area_id: int | None,
    address: str,
) -> Ticket:
    """Complete a received ticket's record before it is dispatched (a citizen's submission often lacks them)."""
    ticket = ticket_lock(ticket_id=ticket_id, actor=actor, verb="complete")
    if kind not in KINDS or urgency not in URGENCIES:
        raise DomainError(_("Unknown channel, kind or urgency."), code="invalid_choice")
    if category_id and not Category.objects.filter(pk=category_id, is_active=True).exists():
        raise DomainError(_("Unknown category."), code="invalid_category")
    if area_id and not Area.objects.filter(pk=area_id).exists():
        raise DomainError(_("Unknown area."), code="invalid_area")
    before = {name: getattr(ticket, name) for name in COMPLETABLE}
    ticket.kind, ticket.urgency, ticket.category_id, ticket.area_id = kind, urgency, category_id, area_id
    ticket.address = address.strip()[:300]
    ticket.save(update_fields=["kind", "urgency", "category", "area", "address", "updated_at"])
    changes = {
        name: [before[name], getattr(ticket, name)] for name in COMPLETABLE if before[name] != getattr(ticket, name)
    }
    event_record(ticket, actor, "complete", payload={"changes": changes})
    return ticket


@ticket_write
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
    _intake_met(ticket)
    survey_round_open(ticket, at=timezone.now())
    return ticket


@ticket_write
def ticket_merge(*, ticket_id: int, actor: User, main_number: str) -> Ticket:
    """A repeat (重复件) keeps its own number and caller, points at the main ticket, and follows it."""
    ticket = ticket_lock(ticket_id=ticket_id, actor=actor, verb="merge")
    main = Ticket.objects.filter(number=main_number).first()
    if main is None or main.pk == ticket.pk or main.status in (workflow.CLOSED, workflow.MERGED):
        raise DomainError(_("Choose another open ticket to merge into."), code="invalid_main_ticket")
    ticket.merged_into = main
    ticket.save(update_fields=["merged_into", "updated_at"])
    status_move(ticket, workflow.MERGED, actor=actor, verb="merge", payload={"main": main.number})
    _intake_met(ticket)
    event_record(main, actor, "merge_repeat", payload={"repeat": ticket.number})
    return ticket
